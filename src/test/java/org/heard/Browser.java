package org.heard;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from Debian's packages ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver},
 * installed by {@code .ci/run}), driven by Selenium; never a downloaded browser.
 */
public final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** WCAG 2.0, 2.1 and 2.2, levels A and AA. */
  static final List<String> WCAG_TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriver driver;
  private final boolean javaScript;

  private Browser(ChromeDriver driver, boolean javaScript) {
    this.driver = driver;
    this.javaScript = javaScript;
  }

  public static Browser start(int width, int height, boolean javaScript, Path profileDir) {
    return start(width, height, javaScript, profileDir, null);
  }

  /**
   * A phone-sized viewport: headless Chromium's window cannot be narrower than about 500 px, so the
   * width is set by device emulation, as a phone would report it.
   */
  public static Browser startNarrow(int width, int height, Path profileDir) {
    return start(500, height, true, profileDir,
        java.util.Map.of("deviceMetrics", java.util.Map.of("width", width, "height", height, "pixelRatio", 1.0)));
  }

  private static Browser start(int width, int height, boolean javaScript, Path profileDir,
      java.util.Map<String, Object> mobileEmulation) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException("browser tests need Debian's chromium and chromium-driver: "
          + "apt-get install -y chromium chromium-driver (.ci/run does this)");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--force-device-scale-factor=1",
        "--window-size=" + width + "," + height, "--user-data-dir=" + profileDir.toAbsolutePath());
    if (mobileEmulation != null) {
      options.setExperimentalOption("mobileEmulation", mobileEmulation);
    }
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    if (!javaScript) {
      // The page's own scripts never run, as with JavaScript turned off; unlike turning it off in the
      // browser's settings, the test can still run axe-core through the DevTools protocol.
      scriptsDisabled(driver, true);
    }
    return new Browser(driver, javaScript);
  }

  private static void scriptsDisabled(ChromeDriver driver, boolean disabled) {
    driver.executeCdpCommand("Emulation.setScriptExecutionDisabled", java.util.Map.of("value", disabled));
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Runs axe-core on the current page; returns the WCAG A/AA violations, described one per line. */
  public String accessibilityViolations() {
    // With JavaScript off, the page's scripts never ran, so its DOM is the no-script page: axe-core
    // may run on it once scripts are allowed again, which runs none of the page's own.
    if (!javaScript) {
      scriptsDisabled(driver, false);
    }
    Results results;
    try {
      results = new AxeBuilder().withTags(WCAG_TAGS).analyze(driver);
    } finally {
      if (!javaScript) {
        scriptsDisabled(driver, true);
      }
    }
    if (results.isErrored()) {
      throw new IllegalStateException("axe-core failed: " + results.getErrorMessage());
    }
    List<Rule> violations = results.getViolations();
    return violations.stream().map(v -> v.getId() + " (" + v.getImpact() + "): " + v.getHelp() + " at "
            + v.getNodes().stream().map(n -> String.valueOf(n.getTarget())).collect(Collectors.joining(", ")))
        .collect(Collectors.joining("\n"));
  }

  public Path screenshot(String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    Path file = SCREENSHOTS.resolve(name + ".png");
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
