package org.heard.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The message files: complete and valid for every shipped language, ICU plurals, a language added as a file. */
class MessagesTest {
  private final Messages messages = new Messages();

  @TempDir
  Path dir;

  @Test
  void everyShippedLanguageIsCompleteAndValid() {
    assertEquals(List.of("en", "ar", "cy", "es", "it", "pl", "pt", "ro", "ur"), messages.languages());
    String problems = MessageCheck.problems(messages).stream().map(p -> p.file() + ": " + p.key() + ": " + p.message())
        .collect(Collectors.joining("\n"));
    assertEquals("", problems);
  }

  @Test
  void pluralsFollowEachLanguagesRules() {
    assertEquals("Wybierz najwyżej 1 literę.", messages.get("pl", "sms.invalid.multi.max", 1));
    assertEquals("Wybierz najwyżej 3 litery.", messages.get("pl", "sms.invalid.multi.max", 3));
    assertEquals("Wybierz najwyżej 5 liter.", messages.get("pl", "sms.invalid.multi.max", 5));
    assertEquals("Wybierz najwyżej 22 litery.", messages.get("pl", "sms.invalid.multi.max", 22));
    assertEquals("Please choose at most 1 letter.", messages.get("en", "sms.invalid.multi.max", 1));
    assertEquals("Please choose at most 2 letters.", messages.get("en", "sms.invalid.multi.max", 2));
    assertEquals("Puteți scrie cel mult 20 de caractere", messages.get("ro", "text.limit", 20));
    assertEquals("Puteți scrie cel mult 3 caractere", messages.get("ro", "text.limit", 3));
    assertEquals("You can enter up to 1,000 characters", messages.get("en", "text.limit", 1000));
    assertEquals(List.of("one", "few", "many", "other"), List.copyOf(messages.pluralForms("pl", "text.left").keySet()));
    assertEquals("Pozostały Ci {0} znaki", messages.pluralForms("pl", "text.left").get("few"));
    assertEquals(List.of("zero", "one", "two", "few", "many", "other"), messages.pluralCategories("cy"));
  }

  @Test
  void eachLanguageHasItsOwnNameAndDirection() {
    assertEquals("Cymraeg", messages.name("cy"));
    assertEquals("العربية", messages.name("ar"));
    assertTrue(messages.isRightToLeft("ar"));
    assertTrue(messages.isRightToLeft("ur"));
    assertFalse(messages.isRightToLeft("cy"));
    assertFalse(messages.isRightToLeft("pl"));
  }

  @Test
  void aLanguageIsAddedAsAFileAndItsGapsAreReported() throws Exception {
    Files.writeString(dir.resolve("gd.properties"), """
        language.name=Gàidhlig
        back=Air ais
        continue={0 broken
        page.of=Duilleag {0}
        """);
    Files.writeString(dir.resolve("notes.txt"), "not a message file");
    Messages withGaelic = new Messages(dir);
    assertTrue(withGaelic.supports("gd"));
    assertEquals("Air ais", withGaelic.get("gd", "back"));
    assertEquals("Send my answers", withGaelic.get("gd", "submit"), "a missing key is shown in English meanwhile");
    List<MessageCheck.Problem> problems = MessageCheck.problems(withGaelic).stream()
        .filter(p -> p.language().equals("gd")).toList();
    assertTrue(problems.stream().anyMatch(p -> p.key().equals("submit") && p.message().startsWith("missing")));
    assertTrue(problems.stream().anyMatch(p -> p.key().equals("continue") && p.message().contains("not a valid ICU")));
    assertTrue(problems.stream().anyMatch(p -> p.key().equals("page.of") && p.message().contains("[0] where English uses [0, 1]")),
        problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.key().equals("text.left.other")), "count forms are required");
    assertEquals("messages/gd.properties", problems.get(0).file());
  }
}
