package org.heard.themes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Readable theme labels from key phrases: each phrase is scored by how many of the theme's
 * comments use it against how common it is across all comments (class-based TF-IDF), longer
 * phrases preferred; the label is the best phrase as residents wrote it, or the two best
 * one-word phrases. Phrases come from redacted text only (redacted words are never terms), and a
 * label is never a number, a cut word, a street name or a word that names no concern ("people").
 */
final class ThemeLabels {
  private ThemeLabels() {
  }

  /** One comment's phrases: normalised, and as written (parallel lists), plus its terms. */
  record Source(List<String> phrases, List<String> surfaces, List<String> terms) {
  }

  static List<String> labels(List<Source> sources, int[] theme, int themes) {
    int n = sources.size();
    // One pass: in how many comments each phrase appears, overall and per theme, and how it was written.
    Map<String, Integer> df = new HashMap<>();
    List<Map<String, Integer>> inTheme = new ArrayList<>();
    List<Map<String, Map<String, Integer>>> written = new ArrayList<>();
    int[] size = new int[themes];
    for (int t = 0; t < themes; t++) {
      inTheme.add(new HashMap<>());
      written.add(new HashMap<>());
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Source source = sources.get(i);
      seen.clear();
      // Labels are made of key phrases (noun phrases), never of stray verbs or adjectives.
      seen.addAll(source.phrases());
      int t = theme[i];
      for (String key : seen) {
        df.merge(key, 1, Integer::sum);
        if (t >= 0) {
          inTheme.get(t).merge(key, 1, Integer::sum);
        }
      }
      if (t >= 0) {
        size[t]++;
        for (int p = 0; p < source.phrases().size(); p++) {
          written.get(t).computeIfAbsent(source.phrases().get(p), k -> new HashMap<>())
              .merge(source.surfaces().get(p), 1, Integer::sum);
        }
      }
    }
    List<String> labels = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (int t = 0; t < themes; t++) {
      int themeSize = Math.max(size[t], 1);
      Comparator<Map.Entry<String, Double>> byScore = Map.Entry.<String, Double>comparingByValue().reversed();
      List<Map.Entry<String, Double>> phrases = new ArrayList<>();
      List<Map.Entry<String, Double>> words = new ArrayList<>();
      inTheme.get(t).forEach((key, count) -> {
        if (!labelWorthy(key)) {
          return;
        }
        double score = (count / (double) themeSize) * Math.log((double) n / df.get(key));
        int length = key.split(" ").length;
        if (length >= 2 && length <= 4 && count >= 2) {
          phrases.add(Map.entry(key, score * (1 + 0.25 * (length - 1))));
        } else if (length == 1 && !VAGUE.contains(key) && !STREET_WORDS.contains(key)) {
          words.add(Map.entry(key, score));
        }
      });
      Comparator<Map.Entry<String, Double>> stable = byScore.thenComparing(Map.Entry::getKey);
      phrases.sort(stable);
      words.sort(stable);
      Map<String, Map<String, Integer>> forms = written.get(t);
      List<String> candidates = new ArrayList<>();
      // A noun phrase names a concern ("street lighting", "drug dealing") better than a pair of words.
      boolean phraseFirst = !phrases.isEmpty() && (words.isEmpty() || phrases.get(0).getValue() >= 0.15 * words.get(0).getValue());
      List<String> phraseLabels = phrases.stream().limit(3).map(e -> asWritten(e.getKey(), forms)).toList();
      List<String> wordLabels = new ArrayList<>();
      if (words.size() >= 2 && words.get(1).getValue() >= 0.3 * words.get(0).getValue()) {
        wordLabels.add(asWritten(words.get(0).getKey(), forms) + ", " + asWritten(words.get(1).getKey(), forms));
      }
      if (words.size() >= 3) {
        wordLabels.add(asWritten(words.get(0).getKey(), forms) + ", " + asWritten(words.get(2).getKey(), forms));
      }
      if (!words.isEmpty()) {
        wordLabels.add(asWritten(words.get(0).getKey(), forms));
      }
      candidates.addAll(phraseFirst ? phraseLabels : wordLabels);
      candidates.addAll(phraseFirst ? wordLabels : phraseLabels);
      // Two themes never share a label: a board could not tell them apart.
      String label = candidates.stream().filter(c -> !used.contains(c)).findFirst().orElse("theme " + (t + 1));
      used.add(label);
      labels.add(label);
    }
    return labels;
  }

  /** Words that name no concern on their own: a label of "people" or "area" says nothing. */
  private static final Set<String> VAGUE = Set.of("people", "person", "thing", "things", "time", "times", "area",
      "place", "lot", "lots", "night", "day", "week", "year", "someone", "everyone", "anyone", "way", "problem",
      "issue", "issues", "one", "bit", "kind", "sort", "side", "end", "ludzie", "rzecz", "czas", "miejsce");
  /** Street words: a phrase ending in one is a place ("millbrook road"), not a concern. */
  private static final Set<String> STREET_WORDS = Set.of("road", "street", "lane", "avenue", "close", "drive",
      "way", "crescent", "grove", "terrace", "gardens", "hill", "row", "walk", "mews", "square", "parade", "rd", "st",
      "ulica", "ulicy", "aleja");

  /** Never a number, a cut word ("break-"), a redaction marker or a street name. */
  private static boolean labelWorthy(String phrase) {
    String[] words = phrase.split(" ");
    for (String word : words) {
      if (word.chars().anyMatch(Character::isDigit) || word.endsWith("-") || word.startsWith("-")
          || word.contains("[") || word.length() < 2) {
        return false;
      }
    }
    return !(words.length >= 2 && STREET_WORDS.contains(words[words.length - 1]));
  }

  private static String asWritten(String phrase, Map<String, Map<String, Integer>> written) {
    Map<String, Integer> forms = written.get(phrase);
    if (forms == null || forms.isEmpty()) {
      return phrase;
    }
    return forms.entrySet().stream()
        .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
        .orElseThrow().getKey();
  }
}
