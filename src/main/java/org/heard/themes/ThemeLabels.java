package org.heard.themes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Readable theme labels from key phrases (noun phrases): each phrase, and each shorter phrase
 * ending in the same head noun ("broken street lights" also counts as "street lights" and
 * "lights"), is scored by how many of the theme's comments use it against how common it is across
 * all comments (class-based TF-IDF), longer phrases preferred; the label is the best 2-4 word
 * phrase as residents wrote it, else the two best nouns ("bins and litter"). A theme with enough
 * English comments is labelled from them (boards read English), else from its main language.
 * Phrases come from redacted text only (redacted words are never terms), and a label is never a
 * number, a cut word, a street name or a word that names no concern ("people").
 */
final class ThemeLabels {
  /** The language labels are read in, and the share of a theme's comments it needs to label it. */
  private static final String BOARD_LANGUAGE = "en";
  private static final double BOARD_LANGUAGE_SHARE = 0.25;

  private ThemeLabels() {
  }

  /** One comment's language and phrases: normalised, and as written (parallel lists), plus its terms. */
  record Source(String language, List<String> phrases, List<String> surfaces, List<String> terms) {
  }

  static List<String> labels(List<Source> sources, int[] theme, int themes) {
    int n = sources.size();
    String[] labelLanguage = labelLanguage(sources, theme, themes);
    // One pass: in how many comments each phrase and each term appears, overall and per theme.
    Counts phrases = new Counts(themes, true);
    Counts terms = new Counts(themes, false);
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Source source = sources.get(i);
      seen.clear();
      for (int p = 0; p < source.phrases().size(); p++) {
        candidates(source.phrases().get(p), source.surfaces().get(p), seen);
      }
      Map<String, String> distinctTerms = new HashMap<>();
      source.terms().forEach(term -> distinctTerms.put(term, term));
      int t = theme[i];
      int counted = t >= 0 && labelLanguage[t].equals(source.language()) ? t : -1;
      phrases.add(seen, counted);
      terms.add(distinctTerms, counted);
    }
    List<String> labels = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (int t = 0; t < themes; t++) {
      List<String> candidates = candidates(phrases, terms, t, n, "pl".equals(labelLanguage[t]) ? " i " : " and ");
      // Two themes never share a label: a board could not tell them apart.
      String label = candidates.stream().filter(c -> !used.contains(c)).findFirst().orElse("theme " + (t + 1));
      used.add(label);
      labels.add(label);
    }
    return labels;
  }

  /**
   * One theme's labels, best first. A phrase of 2-4 words scores the mean of its words' scores
   * (each word's class-based TF-IDF as a term of the theme), more for being used more often:
   * "street lights" in a theme about lights, even if only one comment wrote it so, and "bus
   * shelter" before "whole bus shelter".
   * A phrase leads when it holds one of the theme's three best terms; else the two best nouns.
   */
  private static List<String> candidates(Counts phrases, Counts terms, int t, int n, String and) {
    int size = Math.max(terms.size[t], 1);
    Map<String, Double> termScore = new HashMap<>();
    terms.inTheme.get(t).forEach((term, count) -> termScore.put(term,
        VAGUE.contains(term) || STREET_WORDS.contains(term) ? 0 : distinctiveness(count, size, n, terms.df.get(term))));
    Set<String> topTerms = new HashSet<>(termScore.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry::getKey))
        .limit(3).map(Map.Entry::getKey).toList());
    List<Map.Entry<String, Double>> phraseScores = new ArrayList<>();
    List<Map.Entry<String, Double>> words = new ArrayList<>();
    phrases.inTheme.get(t).forEach((key, count) -> {
      if (!labelWorthy(key)) {
        return;
      }
      String[] parts = key.split(" ");
      if (parts.length >= 2 && parts.length <= 4) {
        double sum = 0;
        for (String part : parts) {
          sum += termScore.getOrDefault(part, 0.0);
        }
        phraseScores.add(Map.entry(key, sum / parts.length * (1 + 0.1 * (parts.length - 1)) * (1 + Math.log(count))));
      } else if (parts.length == 1 && !VAGUE.contains(key) && !STREET_WORDS.contains(key)) {
        words.add(Map.entry(key, distinctiveness(count, size, n, phrases.df.get(key))));
      }
    });
    Comparator<Map.Entry<String, Double>> stable =
        Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry::getKey);
    phraseScores.sort(stable);
    words.sort(stable);
    Map<String, Map<String, Integer>> forms = phrases.written.get(t);
    List<String> phraseLabels = phraseScores.stream().limit(3).map(e -> asWritten(e.getKey(), forms)).toList();
    boolean phraseFirst = !phraseScores.isEmpty()
        && List.of(phraseScores.get(0).getKey().split(" ")).stream().anyMatch(topTerms::contains);
    List<String> wordLabels = new ArrayList<>();
    for (int second = 1; second < Math.min(words.size(), 4); second++) {
      if (!overlaps(words.get(0).getKey(), words.get(second).getKey())) {
        wordLabels.add(asWritten(words.get(0).getKey(), forms) + and + asWritten(words.get(second).getKey(), forms));
      }
    }
    if (!words.isEmpty()) {
      wordLabels.add(asWritten(words.get(0).getKey(), forms));
    }
    List<String> candidates = new ArrayList<>(phraseFirst ? phraseLabels : wordLabels);
    candidates.addAll(phraseFirst ? wordLabels : phraseLabels);
    return candidates;
  }

  /** Per key: in how many comments overall, in how many of each theme's, and as written there. */
  private static final class Counts {
    final Map<String, Integer> df = new HashMap<>();
    final List<Map<String, Integer>> inTheme = new ArrayList<>();
    final List<Map<String, Map<String, Integer>>> written = new ArrayList<>();
    final int[] size;
    private final boolean keepWritten;

    Counts(int themes, boolean keepWritten) {
      this.keepWritten = keepWritten;
      size = new int[themes];
      for (int t = 0; t < themes; t++) {
        inTheme.add(new HashMap<>());
        written.add(new HashMap<>());
      }
    }

    /** One comment's distinct keys (with how each was written); {@code theme} -1 counts it overall only. */
    void add(Map<String, String> keys, int theme) {
      for (Map.Entry<String, String> key : keys.entrySet()) {
        df.merge(key.getKey(), 1, Integer::sum);
        if (theme >= 0) {
          inTheme.get(theme).merge(key.getKey(), 1, Integer::sum);
          if (keepWritten) {
            written.get(theme).computeIfAbsent(key.getKey(), k -> new HashMap<>()).merge(key.getValue(), 1, Integer::sum);
          }
        }
      }
      if (theme >= 0) {
        size[theme]++;
      }
    }
  }

  /** Class-based TF-IDF: the share of the theme's comments using a phrase, against its rarity overall. */
  private static double distinctiveness(int inTheme, int themeSize, int comments, int overall) {
    return (inTheme / (double) themeSize) * Math.log((double) comments / overall);
  }

  /** "streetlight" and "streetlights", "light" and "lights": one word inside the other adds nothing. */
  private static boolean overlaps(String a, String b) {
    return a.contains(b) || b.contains(a);
  }

  /** Per theme: English when at least a quarter of its comments are, else its most common language. */
  private static String[] labelLanguage(List<Source> sources, int[] theme, int themes) {
    List<Map<String, Integer>> counts = new ArrayList<>();
    int[] size = new int[themes];
    for (int t = 0; t < themes; t++) {
      counts.add(new HashMap<>());
    }
    for (int i = 0; i < sources.size(); i++) {
      if (theme[i] >= 0) {
        counts.get(theme[i]).merge(String.valueOf(sources.get(i).language()), 1, Integer::sum);
        size[theme[i]]++;
      }
    }
    String[] language = new String[themes];
    for (int t = 0; t < themes; t++) {
      Map<String, Integer> c = counts.get(t);
      language[t] = c.getOrDefault(BOARD_LANGUAGE, 0) >= BOARD_LANGUAGE_SHARE * size[t] && c.containsKey(BOARD_LANGUAGE)
          ? BOARD_LANGUAGE
          : c.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry::getKey))
              .map(Map.Entry::getKey).orElse(BOARD_LANGUAGE);
    }
    return language;
  }

  /** A phrase and each shorter one ending in its head noun (the last word), with how each was written. */
  private static void candidates(String phrase, String surface, Map<String, String> into) {
    String[] words = phrase.split(" ");
    String[] written = surface.split(" ");
    if (words.length != written.length) {
      into.putIfAbsent(phrase, surface);
      return;
    }
    for (int from = 0; from < words.length; from++) {
      into.putIfAbsent(String.join(" ", List.of(words).subList(from, words.length)),
          String.join(" ", List.of(written).subList(from, written.length)));
    }
  }

  /** Words that name no concern: a label of "people" or "area" says nothing, nor "much" in "much noise". */
  private static final Set<String> VAGUE = Set.of("people", "person", "thing", "things", "time", "times", "area",
      "place", "lot", "lots", "night", "day", "week", "year", "someone", "everyone", "anyone", "way", "problem",
      "issue", "issues", "one", "bit", "kind", "sort", "side", "end", "ludzie", "rzecz", "czas", "miejsce",
      // and words that only qualify one ("too much noise", "the whole bus shelter", "get abuse")
      "much", "many", "more", "most", "whole", "single", "several", "few", "little", "same", "such", "own", "real",
      "get", "got", "make", "kiedy", "bardzo");
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
