package org.heard.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.heard.Browser;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A survey's preview: every web page as residents see it with every question shown, the whole SMS
 * conversation with each message's segments, and the paper form, in each language; for staff only,
 * whether or not the survey is open, and accessible (axe-core in Chromium).
 */
class PreviewTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD));

  @TempDir
  static Path profiles;

  static StaffClient analyst;

  @BeforeAll
  static void accounts() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    for (String role : new String[] {"analyst", "board"}) {
      assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", role + "@example.org", "role", role,
          "password", PASSWORD)).statusCode());
    }
    analyst = new StaffClient(heard);
    assertEquals(303, analyst.login("analyst@example.org", PASSWORD));
  }

  @Test
  void theOverviewShowsEveryChannelInTheChosenLanguage() throws Exception {
    // Mustache writes = in attributes as &#61;, which browsers read as =.
    var page = analyst.get("/staff/surveys/community-safety/preview?lang=pl");
    assertEquals(200, page.statusCode());
    String html = page.body();
    assertTrue(html.contains("Jak bezpiecznie czujesz się w swojej okolicy?"), "the Polish title");
    assertTrue(html.contains("href=\"/staff/surveys/community-safety/preview/page/1?lang&#61;pl\""), html);
    assertTrue(html.contains("Web page 5 of 5"), html);
    // The conversation as SmsDialogue words it: the keyword, the title with the instructions, each prompt, thanks.
    assertTrue(html.contains("<td>Resident</td><td><span lang=\"pl\" dir=\"ltr\">BEZPIECZNIE</span>"), html);
    assertTrue(html.contains("asked only when concerns includes other"), html);
    assertTrue(html.matches("(?s).*<td>\\d+ segments? \\(\\d+ (GSM-7 characters|UCS-2 units)\\)</td>.*"), html);
    assertTrue(html.contains("href=\"/staff/surveys/community-safety/paper.pdf?lang&#61;pl\""), html);
    assertTrue(html.contains("href=\"/staff/surveys/community-safety/preview?lang&#61;ar\""), html);
    // The paper form it links to is there for an analyst.
    assertEquals(200, analyst.send(HttpRequest.newBuilder(
        heard.uri("/staff/surveys/community-safety/paper.pdf?lang=pl")).GET().build()).statusCode());
  }

  @Test
  void aWebPageShowsEveryQuestionAndSendsNothing() throws Exception {
    var page = analyst.get("/staff/surveys/community-safety/preview/page/3?lang=en");
    assertEquals(200, page.statusCode());
    String html = page.body();
    assertTrue(html.contains("Preview of page 3 of 5: nothing typed here is kept."), html);
    assertTrue(html.contains("<form method=\"get\" action=\"/staff/surveys/community-safety/preview/page/4\""), html);
    // "Did you report it?" is asked only after a yes; a preview shows it on its page all the same.
    boolean shown = false;
    for (int n = 1; n <= 5; n++) {
      shown |= analyst.get("/staff/surveys/community-safety/preview/page/" + n).body().contains("id=\"q-reported\"");
    }
    assertTrue(shown, "the conditional question 'reported' is on one of the previewed pages");
    long before = heard.count("web_drafts");
    assertEquals(200, analyst.get("/staff/surveys/community-safety/preview/page/4?lang=en&feel_safe_day=3").statusCode());
    assertEquals(before, heard.count("web_drafts"), "a preview starts no draft");
    assertEquals(404, analyst.get("/staff/surveys/community-safety/preview/page/9").statusCode());
  }

  @Test
  void aSurveyNotOpenYetCanBePreviewedByStaffOnly() throws Exception {
    assertEquals(200, analyst.get("/staff/surveys/future/preview/page/1").statusCode());
    assertTrue(analyst.get("/staff/surveys/future/preview").body().contains("has no SMS keyword"));
    assertTrue(analyst.get("/staff/surveys/future/preview").body().contains("has no paper form"));
    assertEquals(404, analyst.get("/staff/surveys/nothing-here/preview").statusCode());
    StaffClient board = new StaffClient(heard);
    assertEquals(303, board.login("board@example.org", PASSWORD));
    assertEquals(200, board.get("/staff/surveys/sms-pulse/preview").statusCode());
    var anonymous = heard.get("/staff/surveys/community-safety/preview");
    assertFalse(anonymous.statusCode() == 200, "signed-out: " + anonymous.statusCode());
  }

  @Test
  void thePreviewAndDefinitionPagesAreAccessible() throws Exception {
    Path broken = profiles.resolve("broken.yaml");
    Files.writeString(broken, "id: broken-survey\nversion: 1\ntitle: {en: Broken}\nlanguages: [en]\n"
        + "questions:\n  - {id: q1, type: consent, text: {en: Agree?}, colour: red}\n");
    try (Browser browser = Browser.start(1280, 1000, true, profiles.resolve("admin"))) {
      var driver = browser.driver();
      driver.get(heard.uri("/staff/login").toString());
      driver.findElement(By.id("email")).sendKeys(ADMIN);
      driver.findElement(By.id("password")).sendKeys(PASSWORD);
      driver.findElement(By.cssSelector("form button[type=submit]")).click();
      new WebDriverWait(driver, Duration.ofSeconds(15))
          .until(d -> !d.getCurrentUrl().contains("/staff/login"));
      for (String path : new String[] {"/staff/preview", "/staff/surveys/community-safety/preview?lang=ar",
          "/staff/surveys/community-safety/preview/page/2?lang=pl", "/staff/definitions"}) {
        driver.get(heard.uri(path).toString());
        assertEquals("", browser.accessibilityViolations(), "axe-core WCAG 2.2 A/AA violations on " + path);
      }
      // A refused upload: the problems as validate prints them, focus on the summary, still accessible.
      driver.findElement(By.id("definition")).sendKeys(broken.toString());
      driver.findElement(By.xpath("//button[text()='Check and put in force']")).click();
      new WebDriverWait(driver, Duration.ofSeconds(15))
          .until(d -> d.getPageSource().contains("problem(s), each as"));
      assertTrue(driver.getPageSource().contains("broken-survey.yaml: questions[0].colour: unknown key"),
          driver.getPageSource());
      assertEquals("error-summary", driver.switchTo().activeElement().getAttribute("class"));
      assertEquals("", browser.accessibilityViolations(), "axe-core WCAG 2.2 A/AA violations on a refused upload");
    }
  }
}
