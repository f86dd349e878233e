package org.heard.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.Browser;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Paper entry in headless Chromium: a whole batch keyed with the keyboard alone (type the code,
 * Enter to move on, Enter in the last box to save), and axe-core at zero WCAG 2.2 A/AA violations
 * on the staff pages used for entry.
 */
class PaperEntryBrowserTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD))
      .withSurvey("doorstep.yaml", PaperEntryTest.DOORSTEP);

  @TempDir
  static Path profiles;

  @BeforeAll
  static void accounts() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    for (String name : List.of("keyer", "checker", "resolver")) {
      assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", name + "@example.org", "role", "outreach",
          "password", PASSWORD)).statusCode());
    }
  }

  private static void assertAccessible(Browser browser, String what) throws Exception {
    browser.screenshot("staff-" + what.replaceAll("[^a-z0-9]+", "-"));
    assertEquals("", browser.accessibilityViolations(), "axe-core WCAG 2.2 A/AA violations on " + what);
  }

  /** Types into whatever has focus: the keyboard, not the mouse, moves through the form. */
  private static void keys(WebDriver driver, CharSequence... keys) {
    driver.switchTo().activeElement().sendKeys(keys);
  }

  private static String focused(WebDriver driver) {
    return driver.switchTo().activeElement().getAttribute("id");
  }

  private static void waitForNextPage(WebDriver driver, WebElement onOldPage) {
    new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> {
      try {
        onOldPage.isEnabled();
        return false;
      } catch (WebDriverException replaced) {
        return true;
      }
    });
  }

  private static void signIn(Browser browser, String email) {
    WebDriver driver = browser.driver();
    driver.get(heard.uri("/staff/login").toString());
    driver.findElement(By.id("email")).sendKeys(email, Keys.TAB, PASSWORD);
    WebElement old = driver.findElement(By.id("email"));
    keys(driver, Keys.ENTER);
    waitForNextPage(driver, old);
  }

  @Test
  void aWholeBatchIsKeyedWithTheKeyboardAloneOnAccessiblePages() throws Exception {
    try (Browser browser = Browser.start(1280, 1000, true, profiles.resolve("keyer"))) {
      WebDriver driver = browser.driver();
      driver.get(heard.uri("/staff/login").toString());
      assertAccessible(browser, "sign in");
      signIn(browser, "keyer@example.org");
      assertAccessible(browser, "staff home");

      driver.get(heard.uri("/staff/entry").toString());
      assertAccessible(browser, "paper surveys");
      driver.get(heard.uri("/staff/entry/community-safety").toString());
      assertAccessible(browser, "start a batch");
      driver.findElement(By.id("venue")).sendKeys("St Mark's church hall");
      WebElement expected = driver.findElement(By.id("expected"));
      expected.sendKeys("3", Keys.ENTER);
      waitForNextPage(driver, expected);
      assertTrue(driver.getPageSource().contains("0 of 3 entered"));
      assertAccessible(browser, "keying a batch");

      List<List<String>> forms = List.of(
          // serial, then every box in paper order (the consent's number after it); a box skip logic
          // hides is left empty, and so is the number box of a No
          List.of("K1", "1", "4", "5", "4", "1 2", "", "2", "", "Lighting", "1", "07700 900321", "2", "-", "?", "2"),
          List.of("K2", "3", "-", "2", "1", "7", "Dogs", "1", "1", "More patrols", "2", "", "4", "1", "1", "1"),
          List.of("K3", "7", "30", "3", "3", "-", "", "2", "", "?", "1", "-", "-", "-", "-", "3"));
      for (int i = 0; i < forms.size(); i++) {
        assertEquals("serial", focused(driver), "the serial box has focus, ready to type");
        WebElement serial = driver.findElement(By.id("serial"));
        List<String> boxes = forms.get(i);
        for (int b = 0; b < boxes.size(); b++) {
          keys(driver, boxes.get(b), Keys.ENTER);
          if (b < boxes.size() - 1) {
            assertTrue(focused(driver).startsWith("q-"), "Enter moved on from box " + b + " of form " + i);
          }
        }
        waitForNextPage(driver, serial);
        assertTrue(driver.getPageSource().contains((i + 1) + " of 3 entered"),
            "form " + (i + 1) + " saved: " + driver.findElement(By.tagName("main")).getText());
      }
      JsonObject k2 = heard.find("responses", new JsonObject().put("provenance.serial", "K2")).get(0);
      assertEquals("E05000003", k2.getJsonObject("answers").getString("ward"));
      assertEquals("Dogs", k2.getJsonObject("answers").getString("other_concern"), "skip logic followed the paper");
      assertEquals(3, heard.find("responses", new JsonObject().put("provenance.venue", "St Mark's church hall")).size());

      keys(driver, "K4", Keys.ENTER, "99", Keys.ENTER);
      WebElement serial = driver.findElement(By.id("serial"));
      driver.findElement(By.cssSelector("#entry-form button[type=submit]")).sendKeys(Keys.ENTER);
      waitForNextPage(driver, serial);
      assertTrue(driver.getPageSource().contains("There is a problem"));
      assertEquals("error-summary", driver.switchTo().activeElement().getAttribute("class"),
          "after an error, focus is on the error summary, one Tab from its links");
      assertAccessible(browser, "keying errors");

      driver.get(heard.uri("/staff/entry/community-safety/import").toString());
      assertAccessible(browser, "CSV import");
      StaffClient importer = new StaffClient(heard);
      assertEquals(303, importer.login("keyer@example.org", PASSWORD));
      String imported = PaperEntryTest.upload(heard, importer, "community-safety",
          "serial,ward,feel_safe_day,feel_safe_dark\r\nB1,2,3,3\r\n").headers().firstValue("Location").orElseThrow();
      String batchId = imported.substring(imported.indexOf("/batches/") + "/batches/".length(), imported.indexOf('?'));
      driver.get(heard.uri("/staff/jobs").toString());
      assertAccessible(browser, "background jobs");
      driver.get(heard.uri("/staff/jobs/paper-import-" + batchId).toString());
      assertTrue(driver.getPageSource().contains("See what it made"), driver.getPageSource());
      assertAccessible(browser, "an import's job");
      String record = k2.getString("_id");
      driver.get(heard.uri("/staff/responses/" + record).toString());
      assertAccessible(browser, "a response record");
    }
  }

  @Test
  void theMismatchPageIsAccessible() throws Exception {
    StaffClient keyer = new StaffClient(heard);
    assertEquals(303, keyer.login("keyer@example.org", PASSWORD));
    StaffClient checker = new StaffClient(heard);
    assertEquals(303, checker.login("checker@example.org", PASSWORD));
    String batch = PaperEntryTest.startBatch(keyer, "doorstep", 1);
    Map<String, String> form = new LinkedHashMap<>(Map.of("serial", "M1", "q-ward", "a", "q-safe", "2",
        "q-worries", "b", "q-comment", "-"));
    assertEquals(303, keyer.postForm(batch, form).statusCode());
    form.put("q-safe", "3");
    assertEquals(303, checker.postForm(PaperEntryTest.startBatch(checker, "doorstep", 1), form).statusCode());

    try (Browser browser = Browser.start(1280, 1000, true, profiles.resolve("resolver"))) {
      signIn(browser, "resolver@example.org");
      browser.driver().get(heard.uri("/staff/entry/doorstep").toString());
      assertAccessible(browser, "double entry overview");
      browser.driver().get(heard.uri("/staff/entry/doorstep/serials/M1").toString());
      assertAccessible(browser, "resolving a mismatch");
    }
  }
}
