package org.heard.themes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.MainRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code themes-eval} through the command line, on the mixed English and Polish set written for
 * Heard ({@code themes/mixed-en-pl.csv}, six concerns in both languages): it runs the server's path
 * (language split included), prints each language's figure beside chance, and never crashes with
 * the number of themes chosen or given.
 */
class ThemeEvaluationTest {
  @Test
  void themesEvalRunsTheServersPathOnAMixedLanguageSet(@TempDir Path dir) throws Exception {
    Path set = dir.resolve("mixed.csv");
    try (var in = ThemeEvaluationTest.class.getResourceAsStream("/themes/mixed-en-pl.csv")) {
      Files.copy(in, set);
    }
    MainRunner.Result chosen = MainRunner.run(Map.of(), "themes-eval", set.toString());
    assertEquals(0, chosen.status(), chosen.err());
    System.out.println("themes-eval on mixed-en-pl.csv (chosen):\n" + chosen.out());
    assertTrue(chosen.out().contains("(chosen)"), chosen.out());
    Matcher polish = Pattern.compile("pl: (\\d+) comments, NMI ([0-9.]+) \\(shuffled labels ([0-9.]+)\\)")
        .matcher(chosen.out());
    assertTrue(polish.find(), "the Polish subset is scored: " + chosen.out());
    double nmi = Double.parseDouble(polish.group(2));
    double chance = Double.parseDouble(polish.group(3));
    assertTrue(nmi >= chance + 0.2, "Polish comments are themed, not left to chance: " + nmi + " against " + chance);
    assertTrue(!chosen.out().matches("(?s).*Other comments\\s+\\d{2,}.*"), "not left in other: " + chosen.out());

    MainRunner.Result given = MainRunner.run(Map.of(), "themes-eval", set.toString(), "--themes", "6");
    assertEquals(0, given.status(), given.err());
    assertTrue(given.out().contains("(given)") && given.out().contains("NMI "), given.out());
  }
}
