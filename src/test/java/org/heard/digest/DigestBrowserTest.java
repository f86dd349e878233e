package org.heard.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.heard.Browser;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The digest, the actions pages and the public "you said, we did" page in headless Chromium:
 * axe-core finds no WCAG 2.2 A/AA violations, and printed (print media, A4 PDF) the digest drops
 * the navigation and forms.
 */
class DigestBrowserTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD));

  @TempDir
  static Path profiles;

  @BeforeAll
  static void seed() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", "analyst@example.org", "role", "analyst",
        "password", PASSWORD)).statusCode());
    String[] texts = {"Broken street lights on the estate, it is dark", "Cars speeding near the school gates",
        "Drug dealing in the park every evening", "Street lights out along the canal path"};
    String[] ages = {"16-24", "25-44", "45-64", "65+"};
    for (int i = 0; i < 24; i++) {
      assertEquals(201, heard.postResponse("community-safety", "b" + i, new JsonObject().put("language", "en")
          .put("answers", new JsonObject().put("ward", i % 3 == 0 ? "E05000006" : "E05000001")
              .put("feel_safe_day", 2 + i % 4).put("feel_safe_dark", 1 + i % 5)
              .put("what_would_help", texts[i % texts.length] + " (" + i + ")").put("age_band", ages[i % 4])).encode())
          .statusCode());
    }
    heard.awaitAnalysed(24);
    StaffClient analyst = new StaffClient(heard);
    assertEquals(303, analyst.login("analyst@example.org", PASSWORD));
    analyst.get("/api/v1/surveys/community-safety/themes");
    assertEquals(200, analyst.get("/staff/actions?survey=community-safety").statusCode());
    var created = analyst.postForm("/staff/actions", Map.of("surveyId", "community-safety", "themeId", "t-lights",
        "themeLabel", "street lights", "what", "Replaced 40 lamps", "agency", "Highways", "status", "done",
        "date", "2026-11-01", "summary_en", "You told us the lights were out. We replaced 40 lamps.",
        "summary_pl", "Mówiliście, że lampy nie działają. Wymieniliśmy 40 lamp."));
    assertEquals(303, created.statusCode(), created.body());
    String path = created.headers().firstValue("Location").orElseThrow().replaceAll("\\?.*", "");
    assertEquals(303, analyst.postForm(path, Map.of("version", "1", "do", "publish")).statusCode());
  }

  private static void assertAccessible(Browser browser, String what) throws Exception {
    browser.screenshot("digest-" + what.replaceAll("[^a-z0-9]+", "-"));
    assertEquals("", browser.accessibilityViolations(), "axe-core WCAG 2.2 A/AA violations on " + what);
  }

  private static void signIn(WebDriver driver, String email) {
    driver.get(heard.uri("/staff/login").toString());
    driver.findElement(By.id("email")).sendKeys(email, Keys.TAB, PASSWORD);
    WebElement old = driver.findElement(By.id("email"));
    driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> {
      try {
        old.isEnabled();
        return false;
      } catch (org.openqa.selenium.WebDriverException replaced) {
        return true;
      }
    });
  }

  @Test
  void digestActionsAndPublicPagesAreAccessibleAndTheDigestPrintsClean() throws Exception {
    try (Browser browser = Browser.start(1280, 1000, true, profiles.resolve("analyst"))) {
      WebDriver driver = browser.driver();
      signIn(driver, "analyst@example.org");
      driver.get(heard.uri("/staff/digests").toString());
      assertAccessible(browser, "digests");
      driver.get(heard.uri("/staff/digests/community-safety").toString());
      assertTrue(driver.getPageSource().contains("Indicators against target"));
      assertTrue(driver.findElements(By.cssSelector("svg.trend")).size() >= 2, "a chart per indicator");
      assertAccessible(browser, "digest");
      driver.findElement(By.cssSelector("table.table tbody th a[href*='/themes/']")).click();
      assertTrue(driver.getPageSource().contains("comments, newest first") || driver.getPageSource().contains("fewer than 5"));
      assertAccessible(browser, "a theme's comments");
      driver.get(heard.uri("/staff/actions?survey=community-safety").toString());
      assertAccessible(browser, "actions");
      driver.findElement(By.cssSelector("table a")).click();
      assertAccessible(browser, "one action");
      WebElement englishSms = driver.findElement(By.id("summary_en-sms"));
      assertTrue(englishSms.getText().startsWith("As a text message: 1 segment (GSM-7, "), englishSms.getText());
      driver.findElement(By.id("summary_en")).sendKeys(" Dziękujemy " + "x".repeat(120));
      assertTrue(englishSms.getText().startsWith("As a text message: 4 segments (Unicode, 204 characters)"),
          "the count follows the typing, and one ę makes it Unicode: " + englishSms.getText());
      driver.get(heard.uri("/you-said-we-did").toString());
      assertTrue(driver.getPageSource().contains("We replaced 40 lamps."));
      assertAccessible(browser, "you said we did");
      driver.get(heard.uri("/you-said-we-did?lang=pl").toString());
      assertAccessible(browser, "you said we did in Polish");

      driver.get(heard.uri("/staff/digests/community-safety").toString());
      var chrome = (org.openqa.selenium.chromium.HasCdp) driver;
      chrome.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
      assertFalse(driver.findElement(By.cssSelector(".staff-nav")).isDisplayed(), "no navigation in print");
      assertFalse(driver.findElement(By.cssSelector("form.filters")).isDisplayed(), "no forms in print");
      assertTrue(driver.findElement(By.cssSelector("h1")).isDisplayed());
      Map<String, Object> pdf = chrome.executeCdpCommand("Page.printToPDF", Map.of("preferCSSPageSize", true));
      byte[] bytes = Base64.getDecoder().decode((String) pdf.get("data"));
      Files.createDirectories(Browser.SCREENSHOTS);
      Files.write(Browser.SCREENSHOTS.resolve("digest.pdf"), bytes);
      assertTrue(new String(bytes, 0, 5, java.nio.charset.StandardCharsets.US_ASCII).startsWith("%PDF"));
      String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
      java.util.regex.Matcher box = java.util.regex.Pattern.compile("/MediaBox \\[0 0 ([0-9.]+) ([0-9.]+)\\]").matcher(text);
      assertTrue(box.find(), "the PDF has pages");
      assertEquals(595, Math.round(Double.parseDouble(box.group(1))), "A4 width in points (the page's @page size)");
      assertEquals(842, Math.round(Double.parseDouble(box.group(2))), "A4 height in points");

      // The printed digest opens with its one-page summary, and no page ends on a heading or caption.
      List<String> headings = driver.findElements(By.cssSelector("main h2, main h3, main h4, main caption")).stream()
          .map(e -> e.getAttribute("textContent").strip()).filter(t -> !t.isEmpty()).toList();
      try (PDDocument printed = Loader.loadPDF(bytes)) {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setStartPage(1);
        stripper.setEndPage(1);
        String first = stripper.getText(printed);
        assertTrue(first.contains("At a glance") && first.contains("The largest themes")
            && first.contains("Indicators against target") && first.contains("The least reached"), first);
        assertFalse(first.contains("Responses by channel"), "the summary has its page to itself: " + first);
        for (int page = 1; page <= printed.getNumberOfPages(); page++) {
          stripper.setStartPage(page);
          stripper.setEndPage(page);
          List<String> lines = stripper.getText(printed).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
          String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
          assertFalse(headings.contains(last), "page " + page + " of " + printed.getNumberOfPages()
              + " ends on the heading '" + last + "', its content on the next");
        }
      }
      for (WebElement link : driver.findElements(By.cssSelector("main a"))) {
        String words = link.getAttribute("textContent").strip();
        assertFalse(words.isEmpty() || words.equals("(all comments)"), "every link says where it goes: '" + words + "'");
      }
    }
  }

  @Test
  void theDigestFitsAPhonesWidth() throws Exception {
    try (Browser browser = Browser.startNarrow(390, 844, profiles.resolve("phone"))) {
      WebDriver driver = browser.driver();
      signIn(driver, "analyst@example.org");
      driver.get(heard.uri("/staff/digests/community-safety").toString());
      long page = (Long) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollWidth;");
      long screen = (Long) ((JavascriptExecutor) driver).executeScript("return document.documentElement.clientWidth;");
      assertEquals(390, screen, "a 390 px wide phone");
      assertTrue(page <= screen, "the page is " + page + " px wide on a " + screen + " px screen");
      assertAccessible(browser, "digest on a phone");
    }
  }

}
