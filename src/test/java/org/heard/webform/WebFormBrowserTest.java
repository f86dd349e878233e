package org.heard.webform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.heard.Browser;
import org.heard.TestServer;
import org.heard.i18n.Messages;
import org.heard.response.ResponseStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web form in a real browser (headless Chromium): axe-core finds no WCAG 2.2 A/AA violation on
 * any page in each of community-safety's languages (English, Polish, Welsh, Arabic) and of the public
 * pages in every shipped language, the survey can be completed with the keyboard alone, at 320 px
 * wide without horizontal scrolling, and with JavaScript turned off. Screenshots are kept in
 * {@code target/screenshots}.
 */
class WebFormBrowserTest {
  private static final Messages MESSAGES = new Messages();

  @RegisterExtension
  static final TestServer heard = TestServer.forClass();

  /** Browser profiles, one per browser started. */
  @TempDir
  static Path tempDir;

  private String url(String path) {
    return heard.uri(path).toString();
  }

  private static void assertAccessible(Browser browser, String what) {
    String violations = browser.accessibilityViolations();
    assertEquals("", violations, "axe-core WCAG 2.2 A/AA violations on " + what);
  }

  private static void click(WebDriver driver, String id) {
    driver.findElement(By.id(id)).click();
  }

  private static void type(WebDriver driver, String id, String text) {
    driver.findElement(By.id(id)).sendKeys(text);
  }

  /** Presses the page's button and waits until the next page has replaced this one. */
  private static void continueOn(WebDriver driver) {
    WebElement button = driver.findElement(By.cssSelector("button[type=submit]"));
    button.click();
    waitForNextPage(driver, button);
  }

  /**
   * Waits until the element of the old page is gone. Chromium reports a replaced document either as
   * a stale element or, with JavaScript off, as a node that "does not belong to the document".
   */
  static void waitForNextPage(WebDriver driver, WebElement onOldPage) {
    new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> {
      try {
        onOldPage.isEnabled();
        return false;
      } catch (WebDriverException replaced) {
        return true;
      }
    });
  }

  @Test
  void everyPageOfCommunitySafetyPassesAxeInEachOfItsLanguages() throws Exception {
    for (String lang : new String[] {"en", "pl", "cy", "ar"}) {
      try (Browser browser = Browser.start(1024, 900, true, tempDir.resolve("axe-" + lang))) {
        ChromeDriver d = browser.driver();
        d.get(url("/?lang=" + lang));
        assertAccessible(browser, "the survey list (" + lang + ")");
        d.get(url("/surveys/community-safety?lang=" + lang));
        assertAccessible(browser, "page 1 (" + lang + ")");
        continueOn(d);
        assertTrue(d.getTitle().startsWith(MESSAGES.get(lang, "error.title.prefix")), d.getTitle());
        assertEquals(lang.equals("ar") ? "rtl" : "ltr", d.executeScript("return getComputedStyle(document.body).direction;"),
            "Arabic reads right to left");
        assertAccessible(browser, "page 1 with errors (" + lang + ")");
        browser.screenshot("errors-" + lang);
        click(d, "q-ward-E05000001");
        type(d, "q-years_in_area-input", "3");
        continueOn(d);
        assertAccessible(browser, "page 2 (" + lang + ")");
        click(d, "q-feel_safe_day-4");
        click(d, "q-feel_safe_dark-2");
        click(d, "q-concerns-asb");
        click(d, "q-concerns-other");
        assertAccessible(browser, "page 2 with a question revealed (" + lang + ")");
        type(d, "q-other_concern-input", "Fireworks");
        click(d, "q-victim_last_year-yes");
        continueOn(d);
        assertAccessible(browser, "page 3 (" + lang + ")");
        click(d, "q-reported-no");
        continueOn(d);
        assertAccessible(browser, "page 4 (" + lang + ")");
        type(d, "q-what_would_help-input", "More lighting");
        click(d, "q-contact_ok-true");
        assertTrue(d.findElement(By.id("q-contact_ok-phone-input")).isDisplayed(), "a yes reveals the number field");
        assertAccessible(browser, "page 4 with the number field revealed (" + lang + ")");
        continueOn(d);
        assertTrue(d.findElement(By.id("q-contact_ok.phone-error")).getText()
            .contains(MESSAGES.get(lang, "err.phone_required", "").split("“|„|«")[0].strip()), "a yes needs a number");
        assertAccessible(browser, "page 4, a yes without a number (" + lang + ")");
        type(d, "q-contact_ok-phone-input", "07700 900982");
        continueOn(d);
        assertAccessible(browser, "page 5, equality monitoring (" + lang + ")");
        click(d, "q-age_band-prefer_not_to_say");
        continueOn(d);
        assertTrue(d.getCurrentUrl().endsWith("/check"), d.getCurrentUrl());
        assertTrue(d.getPageSource().contains(MESSAGES.get(lang, "consent.yes.number", "07700 900982")),
            "the number is shown to check");
        assertAccessible(browser, "check your answers (" + lang + ")");
        continueOn(d);
        assertTrue(d.getCurrentUrl().endsWith("/done"), d.getCurrentUrl());
        assertAccessible(browser, "the confirmation (" + lang + ")");
        d.get(url("/you-said-we-did?lang=" + lang));
        assertAccessible(browser, "you said, we did (" + lang + ")");
      }
    }
  }

  @Test
  void everyStateOfSmsPulsePassesAxeInEveryShippedLanguage() throws Exception {
    long before = heard.count(ResponseStore.COLLECTION);
    for (String lang : MESSAGES.languages()) {
      try (Browser browser = Browser.start(1024, 900, true, tempDir.resolve("pulse-" + lang))) {
        ChromeDriver d = browser.driver();
        d.get(url("/surveys/sms-pulse?lang=" + lang));
        assertEquals(MESSAGES.isRightToLeft(lang) ? "rtl" : "ltr", d.findElement(By.tagName("html")).getAttribute("dir"));
        assertEquals(MESSAGES.get(lang, "continue"), d.findElement(By.cssSelector("main button")).getText(),
            "Heard's own words are in " + lang);
        assertAccessible(browser, "sms-pulse page 1 (" + lang + ")");
        type(d, "q-main_worry-input", "x".repeat(301));
        continueOn(d);
        assertTrue(d.getTitle().startsWith(MESSAGES.get(lang, "error.title.prefix")), d.getTitle());
        assertAccessible(browser, "sms-pulse page 1 with errors (" + lang + ")");
        click(d, "q-feel_safe_now-4");
        click(d, "q-ward-E05000002");
        WebElement worry = d.findElement(By.id("q-main_worry-input"));
        worry.clear();
        worry.sendKeys("Pulse in " + lang);
        click(d, "q-contact_ok-false");
        continueOn(d);
        assertTrue(d.getCurrentUrl().endsWith("/check"), d.getCurrentUrl());
        assertAccessible(browser, "sms-pulse check your answers (" + lang + ")");
        continueOn(d);
        assertTrue(d.getCurrentUrl().endsWith("/done"), d.getCurrentUrl());
        assertAccessible(browser, "sms-pulse confirmation (" + lang + ")");
      }
    }
    assertEquals(before + MESSAGES.languages().size(), heard.count(ResponseStore.COLLECTION));
  }

  @Test
  void theSurveyListAndPublicPagesPassAxeInEveryShippedLanguage() throws Exception {
    try (Browser browser = Browser.start(1024, 900, true, tempDir.resolve("axe-languages"))) {
      ChromeDriver d = browser.driver();
      for (String lang : MESSAGES.languages()) {
        d.get(url("/?lang=" + lang));
        assertEquals(lang, d.findElement(By.tagName("html")).getAttribute("lang"));
        assertEquals(MESSAGES.isRightToLeft(lang) ? "rtl" : "ltr", d.findElement(By.tagName("html")).getAttribute("dir"));
        assertEquals(MESSAGES.languages().size() - 1, d.findElements(By.cssSelector(".header-lang a[hreflang]")).size(),
            "every other language is offered, in its own name");
        assertAccessible(browser, "the survey list (" + lang + ")");
        d.get(url("/you-said-we-did?lang=" + lang));
        assertAccessible(browser, "you said, we did (" + lang + ")");
        d.get(url("/surveys/no-such-survey?lang=" + lang));
        assertAccessible(browser, "the not-found page (" + lang + ")");
      }
    }
  }

  @Test
  void theAxeCheckItselfCatchesAnUnlabelledField() throws Exception {
    try (Browser browser = Browser.start(800, 600, true, tempDir.resolve("axe-self-check"))) {
      browser.driver().get("data:text/html,<html lang='en'><title>t</title><main><input type='text'></main></html>");
      assertTrue(browser.accessibilityViolations().contains("label"), "axe-core must report a missing label");
    }
  }

  @Test
  void communitySafetyCanBeCompletedWithTheKeyboardAlone() throws Exception {
    long before = heard.count(ResponseStore.COLLECTION);
    try (Browser browser = Browser.start(1024, 900, true, tempDir.resolve("keyboard"))) {
      ChromeDriver d = browser.driver();
      Keyboard keys = new Keyboard(d);
      d.get(url("/surveys/community-safety?lang=en"));
      keys.radio("ward", "E05000003");
      keys.text("q-years_in_area-input", "12");
      keys.submit();
      keys.radio("feel_safe_day", "5");
      keys.radio("feel_safe_dark", "3");
      keys.checkbox("q-concerns-speeding");
      keys.radio("victim_last_year", "no");
      keys.submit();
      assertTrue(d.getCurrentUrl().endsWith("/page/4"), "skip logic jumps over page 3: " + d.getCurrentUrl());
      keys.text("q-what_would_help-input", "Speed cameras on the ring road");
      keys.radio("contact_ok", "false");
      keys.submit();
      keys.radio("age_band", "45-64");
      keys.submit();
      browser.screenshot("keyboard-check-answers");
      keys.submit();
      assertTrue(d.getCurrentUrl().endsWith("/done"), d.getCurrentUrl());
      browser.screenshot("keyboard-done");
    }
    assertEquals(before + 1, heard.count(ResponseStore.COLLECTION));
    JsonObject stored = heard.find(ResponseStore.COLLECTION,
        new JsonObject().put("answers.what_would_help", "Speed cameras on the ring road")).get(0);
    assertEquals("E05000003", stored.getJsonObject("answers").getString("ward"));
    assertEquals("45-64", stored.getJsonObject("answers").getString("age_band"));
  }

  @Test
  void pagesReflowAt320PixelsWithoutHorizontalScrolling() throws Exception {
    try (Browser browser = Browser.startNarrow(320, 800, tempDir.resolve("narrow"))) {
      ChromeDriver d = browser.driver();
      String[] pages = {"/?lang=pl", "/surveys/community-safety?lang=pl", "/surveys/community-safety/page/2",
          "/surveys/community-safety/page/5", "/?lang=ar", "/surveys/community-safety?lang=ar",
          "/surveys/community-safety/page/2?lang=ar", "/?lang=ur"};
      for (int i = 0; i < pages.length; i++) {
        d.get(url(pages[i]));
        long viewport = (Long) d.executeScript("return document.documentElement.clientWidth;");
        long content = (Long) d.executeScript("return document.documentElement.scrollWidth;");
        assertTrue(viewport <= 320, "viewport " + viewport);
        assertTrue(content <= viewport, pages[i] + " scrolls sideways: content " + content + " > viewport " + viewport);
        browser.screenshot("reflow-320-" + i);
      }
    }
    assertTrue(Files.exists(Browser.SCREENSHOTS.resolve("reflow-320-1.png")));
  }

  @Test
  void theFormWorksWithJavaScriptTurnedOff() throws Exception {
    long before = heard.count(ResponseStore.COLLECTION);
    try (Browser browser = Browser.start(1024, 900, false, tempDir.resolve("nojs"))) {
      ChromeDriver d = browser.driver();
      d.get(url("/surveys/sms-pulse?lang=en"));
      click(d, "q-feel_safe_now-2");
      click(d, "q-ward-E05000006");
      type(d, "q-main_worry-input", "No JavaScript here");
      continueOn(d);
      continueOn(d);
      assertTrue(d.getCurrentUrl().endsWith("/done"), d.getCurrentUrl());
    }
    assertEquals(before + 1, heard.count(ResponseStore.COLLECTION));
  }

  /** Moves through a page with Tab, Space, arrow keys and Enter only, as a keyboard user does. */
  private static final class Keyboard {
    private static final int MAX_TABS = 200;
    private final ChromeDriver driver;

    Keyboard(ChromeDriver driver) {
      this.driver = driver;
    }

    private WebElement active() {
      return driver.switchTo().activeElement();
    }

    private void press(CharSequence key) {
      new Actions(driver).sendKeys(key).perform();
    }

    private void tabUntil(Predicate<WebElement> wanted, String what) {
      for (int i = 0; i < MAX_TABS; i++) {
        press(Keys.TAB);
        if (wanted.test(active())) {
          return;
        }
      }
      fail("Tab never reached " + what);
    }

    /** Tab into the radio group, then arrow to the wanted option (arrows select) or Space on the first. */
    void radio(String name, String value) {
      tabUntil(e -> name.equals(e.getAttribute("name")), "radio group " + name);
      for (int i = 0; i < 20 && !value.equals(active().getAttribute("value")); i++) {
        press(Keys.ARROW_DOWN);
      }
      assertEquals(value, active().getAttribute("value"));
      press(Keys.SPACE);
      assertTrue(active().isSelected());
    }

    void checkbox(String id) {
      tabUntil(e -> id.equals(e.getAttribute("id")), id);
      press(Keys.SPACE);
      assertTrue(active().isSelected());
    }

    void text(String id, String text) {
      tabUntil(e -> id.equals(e.getAttribute("id")), id);
      press(text);
    }

    void submit() {
      tabUntil(e -> "button".equals(e.getTagName()), "the button");
      WebElement button = active();
      press(Keys.ENTER);
      waitForNextPage(driver, button);
    }
  }
}
