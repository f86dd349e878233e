package org.heard.webform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.heard.Browser;
import org.heard.TestServer;
import org.heard.response.ResponseStore;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Every path off the straight line in headless Chromium, with JavaScript on and off, and axe-core
 * (WCAG 2.2 A/AA) on each state: a question revealed under an option, words typed under an option
 * not chosen, the character count, change links, Back and reload after sending, an answer far too
 * long for a request, and each page's title. The states checked are listed in the README.
 */
class WebFormPathsBrowserTest {
  @RegisterExtension
  static final TestServer heard = TestServer.forClass()
      .withSurvey("callback.yaml", WebFormPathsTest.CALLBACK_SURVEY);

  @TempDir
  static Path profiles;

  private ChromeDriver d;
  private Browser browser;
  private String mode;

  private String url(String path) {
    return heard.uri(path).toString();
  }

  private void axe(String state) {
    assertEquals("", browser.accessibilityViolations(), "axe-core WCAG 2.2 A/AA violations on " + state + " (" + mode + ")");
  }

  private void click(String id) {
    d.findElement(By.id(id)).click();
  }

  private void type(String id, String text) {
    d.findElement(By.id(id)).sendKeys(text);
  }

  private void continueOn() {
    WebElement button = d.findElement(By.cssSelector("main button[type=submit]"));
    button.click();
    WebFormBrowserTest.waitForNextPage(d, button);
  }

  private boolean shown(String id) {
    return d.findElement(By.id(id)).isDisplayed();
  }

  private Browser start(boolean javaScript, String name) {
    mode = javaScript ? "JavaScript on" : "JavaScript off";
    browser = Browser.start(1024, 900, javaScript, profiles.resolve(name + (javaScript ? "-js" : "-nojs")));
    d = browser.driver();
    return browser;
  }

  private JsonObject stored(String field, String value) {
    List<JsonObject> found = heard.find(ResponseStore.COLLECTION, new JsonObject().put("answers." + field, value));
    assertEquals(1, found.size(), field + " = " + value);
    return found.get(0).getJsonObject("answers");
  }

  /** Page 1 of community safety, answered. */
  private void throughPageOne() {
    d.get(url("/surveys/community-safety?lang=en"));
    click("q-ward-E05000001");
    type("q-years_in_area-input", "3");
    continueOn();
  }

  @ParameterizedTest(name = "JavaScript {0}")
  @ValueSource(booleans = {true, false})
  void aQuestionRevealedUnderAnOptionAndWordsTypedWithoutChoosingIt(boolean javaScript) throws Exception {
    String words = javaScript ? "Fireworks, revealed" : "Fireworks, typed without ticking";
    try (Browser b = start(javaScript, "reveal")) {
      throughPageOne();
      assertEquals(!javaScript, shown("q-other_concern-input"),
          "the text box under \"Something else\" shows at first only without JavaScript");
      axe("page 2, nothing chosen");
      click("q-feel_safe_day-4");
      click("q-feel_safe_dark-2");
      click("q-concerns-asb");
      if (javaScript) {
        click("q-concerns-other");
        assertTrue(shown("q-other_concern-input"), "choosing \"Something else\" reveals its question");
        axe("page 2, \"Something else\" revealed");
      }
      type("q-other_concern-input", words);
      click("q-victim_last_year-no");
      continueOn();
      assertTrue(d.getCurrentUrl().endsWith("/page/4"), d.getCurrentUrl());
      type("q-what_would_help-input", "Lights");
      click("q-contact_ok-false");
      continueOn();
      continueOn();
      assertTrue(d.getCurrentUrl().endsWith("/check"), d.getCurrentUrl());
      assertTrue(d.getPageSource().contains("Anti-social behaviour, Something else"));
      continueOn();
      assertTrue(d.getCurrentUrl().endsWith("/done"), d.getCurrentUrl());
    }
    assertEquals(List.of("asb", "other"), stored("other_concern", words).getJsonArray("concerns").getList());
  }

  @ParameterizedTest(name = "JavaScript {0}")
  @ValueSource(booleans = {true, false})
  void wordsUnderAnotherOptionAreKeptAsideWithoutJavaScriptAndNotSentWithIt(boolean javaScript) throws Exception {
    String words = "Mornings " + (javaScript ? "hidden" : "aside");
    try (Browser b = start(javaScript, "aside")) {
      d.get(url("/surveys/callback?lang=en"));
      if (javaScript) {
        click("q-contact-phone");
        type("q-call_time-input", words);
        click("q-contact-none");
        assertFalse(shown("q-call_time-input"), "choosing another option hides the question again");
        assertFalse(d.findElement(By.id("q-call_time-input")).isEnabled(), "and its words are not sent");
      } else {
        click("q-contact-none");
        type("q-call_time-input", words);
      }
      continueOn();
      assertTrue(d.getCurrentUrl().endsWith("/check"), d.getCurrentUrl());
      String check = d.getPageSource();
      assertEquals(!javaScript, check.contains("An answer that will not be sent"), check);
      axe("check your answers" + (javaScript ? "" : " with an answer kept aside"));
      if (!javaScript) {
        d.findElement(By.linkText("Change your answer to “How may we contact you?”")).click();
        assertEquals(words, d.findElement(By.id("q-call_time-input")).getAttribute("value"), "the words came back");
        click("q-contact-phone");
        continueOn();
        assertTrue(d.getCurrentUrl().endsWith("/check"), "a change returns to check your answers");
        assertFalse(d.getPageSource().contains("An answer that will not be sent"));
      }
      continueOn();
    }
    List<JsonObject> sent = heard.find(ResponseStore.COLLECTION, new JsonObject().put("answers.call_time", words));
    assertEquals(javaScript ? 0 : 1, sent.size(), "words hidden by the resident are never sent; words kept aside "
        + "are sent once the resident chose their option");
  }

  @ParameterizedTest(name = "JavaScript {0}")
  @ValueSource(booleans = {true, false})
  void theCharacterLimitIsSaidBeforeTypingAndCountedWhileTyping(boolean javaScript) throws Exception {
    try (Browser b = start(javaScript, "count")) {
      d.get(url("/surveys/callback?lang=en"));
      click("q-contact-phone");
      assertEquals("You can enter up to 100 characters", d.findElement(By.id("q-call_time-count")).getText());
      type("q-call_time-input", "x".repeat(98));
      assertEquals(javaScript ? "You have 2 characters remaining" : "You can enter up to 100 characters",
          d.findElement(By.id("q-call_time-count")).getText());
      type("q-call_time-input", "xxx");
      if (javaScript) {
        assertEquals("You have 1 character too many", d.findElement(By.id("q-call_time-count")).getText());
      }
      if (javaScript) {
        d.get(url("/surveys/callback?lang=pl"));
        click("q-contact-phone");
        type("q-call_time-input", "x".repeat(97));
        assertEquals("Pozostały Ci 3 znaki", d.findElement(By.id("q-call_time-count")).getText(),
            "Polish has a form for 2-4, as the browser's plural rules say");
        type("q-call_time-input", "x".repeat(3));
        assertEquals("Pozostało Ci 0 znaków", d.findElement(By.id("q-call_time-count")).getText());
        d.get(url("/surveys/callback?lang=en"));
        click("q-contact-phone");
        type("q-call_time-input", "x".repeat(101));
      }
      axe("a text answer over its limit, before sending");
      continueOn();
      assertTrue(d.getTitle().startsWith("Error: "), d.getTitle());
      assertTrue(d.getPageSource().contains("The answer to “When can we call?” must be 100 characters or fewer"));
      if (javaScript) {
        assertEquals("error-summary", d.switchTo().activeElement().getAttribute("class"),
            "focus moves to the error summary");
      }
      axe("a text answer over its limit, sent");
    }
  }

  /**
   * The states above that only the callback survey has, in its other languages (Arabic right to
   * left): words kept aside, an answer over its limit, the live count, the number under a yes.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"pl", "cy", "ar"})
  void theSameStatesPassAxeInEveryLanguageOfTheSurvey(String lang) throws Exception {
    try (Browser b = start(false, "states-" + lang)) {
      mode = "JavaScript off, " + lang;
      d.get(url("/surveys/callback?lang=" + lang));
      click("q-contact-none");
      type("q-call_time-input", "Rano");
      click("q-happy-true");
      type("q-happy-phone-input", "07700 900462");
      continueOn();
      assertTrue(d.getCurrentUrl().endsWith("/check"), d.getCurrentUrl());
      axe("check your answers with an answer kept aside and a number");
      d.get(url("/surveys/callback/page/1?change"));
      click("q-contact-phone");
      d.findElement(By.id("q-call_time-input")).clear();
      type("q-call_time-input", "x".repeat(101));
      d.findElement(By.id("q-happy-phone-input")).clear();
      continueOn();
      assertTrue(d.findElement(By.id("q-call_time-error")).isDisplayed());
      assertTrue(d.findElement(By.id("q-happy.phone-error")).isDisplayed());
      axe("a text answer over its limit and a yes without a number, sent");
    }
    try (Browser b = start(true, "states-js-" + lang)) {
      mode = "JavaScript on, " + lang;
      d.get(url("/surveys/callback?lang=" + lang));
      click("q-contact-phone");
      type("q-call_time-input", "x".repeat(101));
      click("q-happy-true");
      assertTrue(shown("q-happy-phone-input"), "the number field is revealed under the yes");
      axe("the live count over the limit, and the number field revealed");
    }
  }

  @ParameterizedTest(name = "JavaScript {0}")
  @ValueSource(booleans = {true, false})
  void changeLinksReturnToCheckYourAnswersThroughPagesTheChangeMadeApply(boolean javaScript) throws Exception {
    try (Browser b = start(javaScript, "change")) {
      throughPageOne();
      click("q-feel_safe_day-4");
      click("q-feel_safe_dark-2");
      click("q-victim_last_year-no");
      continueOn();
      type("q-what_would_help-input", "Lights");
      continueOn();
      continueOn();
      assertTrue(d.getCurrentUrl().endsWith("/check"), d.getCurrentUrl());
      d.findElement(By.cssSelector("a[href$='page/1?change#q-years_in_area']")).click();
      axe("a page reached by Change");
      WebElement years = d.findElement(By.id("q-years_in_area-input"));
      years.clear();
      years.sendKeys("9");
      continueOn();
      assertTrue(d.getCurrentUrl().endsWith("/check"), "straight back: " + d.getCurrentUrl());
      d.findElement(By.cssSelector("a[href$='page/2?change#q-victim_last_year']")).click();
      click("q-victim_last_year-yes");
      continueOn();
      assertTrue(d.getCurrentUrl().endsWith("/page/3?change"), "the question the change made apply: " + d.getCurrentUrl());
      axe("a page the change made apply");
      click("q-reported-yes");
      continueOn();
      assertTrue(d.getCurrentUrl().endsWith("/check"), d.getCurrentUrl());
      assertTrue(d.getPageSource().contains("Did you report it to the police?"));
    }
  }

  @ParameterizedTest(name = "JavaScript {0}")
  @ValueSource(booleans = {true, false})
  void afterSendingBackAndReloadShowTheConfirmation(boolean javaScript) throws Exception {
    long before = heard.count(ResponseStore.COLLECTION);
    try (Browser b = start(javaScript, "sent")) {
      d.get(url("/surveys/callback?lang=en"));
      click("q-contact-none");
      continueOn();
      continueOn();
      assertTrue(d.getCurrentUrl().endsWith("/done"), d.getCurrentUrl());
      axe("the confirmation");
      d.navigate().back();
      assertTrue(d.getCurrentUrl().endsWith("/done"), "Back from the confirmation: " + d.getCurrentUrl());
      assertTrue(d.getPageSource().contains("Thank you, your answers have been sent"));
      assertTrue(d.findElements(By.cssSelector("main button[type=submit]")).isEmpty(), "no Send button");
      d.navigate().refresh();
      assertTrue(d.getPageSource().contains("Thank you, your answers have been sent"));
      d.findElement(By.linkText("Answer the survey again, as someone else")).click();
      assertTrue(d.getCurrentUrl().contains("/surveys/callback"), d.getCurrentUrl());
      assertFalse(d.findElement(By.id("q-contact-none")).isSelected(), "a new, empty form");
    }
    assertEquals(before + 1, heard.count(ResponseStore.COLLECTION));
  }

  @ParameterizedTest(name = "JavaScript {0}")
  @ValueSource(booleans = {true, false})
  void anAnswerFarTooLongForARequestComesBackWithTheLimitNamed(boolean javaScript) throws Exception {
    try (Browser b = start(javaScript, "huge")) {
      d.get(url("/surveys/callback?lang=en"));
      click("q-contact-phone");
      WebElement box = d.findElement(By.id("q-call_time-input"));
      if (javaScript) {
        // A paste of 300,000 characters: more than the 256 KiB a form is read to.
        d.executeScript("arguments[0].value = 'Pasted twice. ' + 'y'.repeat(300000);", box);
      } else {
        box.sendKeys("Pasted twice. " + "y".repeat(3000));
      }
      continueOn();
      assertTrue(d.getPageSource().contains("The answer to “When can we call?” must be 100 characters or fewer"));
      assertTrue(d.findElement(By.id("q-call_time-input")).getAttribute("value").startsWith("Pasted twice. yyyy"),
          "the words are on the page again");
      axe("an answer far over the limit, sent");
    }
  }

  @ParameterizedTest(name = "JavaScript {0}")
  @ValueSource(booleans = {true, false})
  void everyPageHasItsOwnTitle(boolean javaScript) throws Exception {
    Set<String> titles = new HashSet<>();
    try (Browser b = start(javaScript, "titles")) {
      throughPageOne();
      titles.add(d.getTitle());
      click("q-feel_safe_day-4");
      click("q-feel_safe_dark-2");
      click("q-victim_last_year-yes");
      titles.add(d.getTitle());
      continueOn();
      titles.add(d.getTitle());
      click("q-reported-no");
      continueOn();
      titles.add(d.getTitle());
      continueOn();
      titles.add(d.getTitle());
      continueOn();
      titles.add(d.getTitle());
      d.get(url("/surveys/community-safety/page/1"));
      titles.add(d.getTitle());
    }
    assertEquals(6, titles.size(), "five pages and check your answers, each titled apart: " + titles);
  }
}
