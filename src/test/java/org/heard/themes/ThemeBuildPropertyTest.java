package org.heard.themes;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.heard.analysis.CommentAnalysis;
import org.heard.text.TextAnalysis;
import org.junit.jupiter.api.Test;

/**
 * No input crashes a theme build: random sizes (10 to 20,000 comments), random numbers of topics
 * (with and without noise that belongs to no topic, with and without sentence vectors), random
 * orders, the number of themes chosen or given (1 to more than there are comments), through the
 * clusterer, the labels and the whole model builder.
 */
class ThemeBuildPropertyTest {
  private static final int DIMENSIONS = 48;

  @Test
  void noInputCrashesAThemeBuild() {
    Random random = new Random(20261201L);
    int[] sizes = {10, 11, 13, 25, 60, 150, 400, 1_500, 4_000};
    for (int round = 0; round < 3; round++) {
      for (int size : sizes) {
        List<ThemeItem> items = items(random, size);
        check(items, null);
        check(items, 1 + random.nextInt(Math.max(1, size / 3)));
        check(items, size + 5);
      }
    }
    List<ThemeItem> large = items(random, 20_000);
    check(large, null);
  }

  private static void check(List<ThemeItem> items, Integer themes) {
    List<ThemeItem> shuffled = new ArrayList<>(items);
    Collections.shuffle(shuffled, new Random(items.size() * 31L + (themes == null ? 0 : themes)));
    List<ThemeClusterer.Comment> comments = shuffled.stream().map(i -> new ThemeClusterer.Comment(
        i.analysis().vector(), i.analysis().text().terms(), i.analysis().text().keyPhrases())).toList();
    ThemeClusterer.Result result = assertDoesNotThrow(
        () -> new ThemeClusterer(ThemeClusterer.Settings.defaults()).cluster(comments, themes),
        comments.size() + " comments, themes " + themes);
    assertEquals(comments.size(), result.theme().length);
    for (int t : result.theme()) {
      assertTrue(t >= ThemeClusterer.OTHER && t < result.themes(), "assignment " + t + " of " + result.themes());
    }
    List<String> labels = assertDoesNotThrow(() -> ThemeLabels.labels(shuffled.stream()
        .map(i -> new ThemeLabels.Source(i.analysis().text().language(), i.analysis().text().keyPhrases(), i.analysis().text().surfaces(),
            i.analysis().text().terms())).toList(), result.theme(), result.themes()));
    assertEquals(result.themes(), labels.size());
    if (themes == null) {
      ThemeModel model = assertDoesNotThrow(() -> ThemeModelBuilder.build("property", shuffled, List.of(),
          ThemeClusterer.Settings.defaults(), Instant.now()), comments.size() + " comments through the builder");
      assertTrue(model.themes().size() >= 1);
    }
  }

  /** Comments around a random number of topics, some noise, some without vectors. */
  private static List<ThemeItem> items(Random random, int size) {
    int topics = 1 + random.nextInt(Math.min(40, Math.max(1, size / 4)));
    double noise = random.nextDouble() * 0.3;
    boolean someWithoutVectors = random.nextBoolean();
    float[][] centres = new float[topics][];
    for (int t = 0; t < topics; t++) {
      centres[t] = unit(random, null, 0);
    }
    List<ThemeItem> items = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      boolean stray = random.nextDouble() < noise;
      int topic = random.nextInt(topics);
      float[] vector = someWithoutVectors && random.nextDouble() < 0.2 ? null
          : unit(random, stray ? null : centres[topic], stray ? 0 : 0.6);
      List<String> terms = new ArrayList<>();
      for (int w = 0; w < 1 + random.nextInt(6); w++) {
        terms.add(stray ? "w" + random.nextInt(5_000) : "t" + topic + "w" + random.nextInt(8));
      }
      List<String> phrases = terms.size() > 1 ? List.of(terms.get(0) + " " + terms.get(1)) : List.of();
      TextAnalysis text = new TextAnalysis("en", 0.9, true, terms, phrases, phrases, String.join(" ", terms));
      items.add(new ThemeItem(String.format("r%031d", i), "q", Instant.EPOCH.plusSeconds(i), "web", "E05000001",
          Map.of(), CommentAnalysis.of(text, vector)));
    }
    return items;
  }

  private static float[] unit(Random random, float[] around, double spread) {
    float[] v = new float[DIMENSIONS];
    double norm = 0;
    for (int d = 0; d < DIMENSIONS; d++) {
      v[d] = (float) ((around == null ? 0 : around[d]) + (around == null ? 1 : spread) * random.nextGaussian()
          / Math.sqrt(DIMENSIONS));
      norm += v[d] * v[d];
    }
    for (int d = 0; d < DIMENSIONS; d++) {
      v[d] /= (float) Math.sqrt(norm);
    }
    return v;
  }
}
