package org.heard.themes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.heard.analysis.Analysers;

/**
 * Builds a survey's {@link ThemeModel}: comments are split by {@link #space}: those with sentence
 * vectors together, whatever their language, the rest by language; each with enough comments is clustered ({@link ThemeClusterer}), labelled
 * ({@link ThemeLabels}) and given centroids for assigning later comments; the rest form language
 * groups. A theme keeps its id across rebuilds (and so across periods) when most of its anchors
 * (its most central comments) land in the same new theme. Pure: same input, same model.
 */
final class ThemeModelBuilder {
  static final String OTHER_ID = "other";
  /** Fewer analysable comments than this in a language: not enough to find themes in. */
  static final int MIN_COMMENTS = 10;
  private static final int ANCHORS = 40;

  private ThemeModelBuilder() {
  }

  static ThemeModel build(String surveyId, List<ThemeItem> items, List<ThemeModel.Theme> previous,
                          ThemeClusterer.Settings settings, Instant now) {
    Map<String, List<ThemeItem>> byLanguage = new TreeMap<>();
    for (ThemeItem item : items) {
      String space = item.analysis().text().analysed() ? space(item) : "und:" + item.analysis().text().language();
      byLanguage.computeIfAbsent(space, k -> new ArrayList<>()).add(item);
    }
    List<ThemeModel.Theme> themes = new ArrayList<>();
    List<ThemeModel.Assignment> assignments = new ArrayList<>();
    Map<String, ThemeModel.Space> spaces = new HashMap<>();
    Set<String> usedIds = new HashSet<>();
    for (Map.Entry<String, List<ThemeItem>> entry : byLanguage.entrySet()) {
      List<ThemeItem> group = entry.getValue();
      String language = entry.getKey().startsWith("und:") ? group.get(0).analysis().text().language() : entry.getKey();
      if (entry.getKey().startsWith("und:") || group.size() < MIN_COMMENTS) {
        ThemeModel.Theme theme = languageTheme(language, !entry.getKey().startsWith("und:"));
        if (usedIds.add(theme.id())) {
          themes.add(theme);
        }
        group.forEach(item -> assignments.add(new ThemeModel.Assignment(light(item), theme.id(), 0)));
        continue;
      }
      clusterLanguage(surveyId, language, group, previous, settings, themes, assignments, spaces, usedIds);
    }
    themes.add(new ThemeModel.Theme(OTHER_ID, "Other comments", ThemeModel.Kind.OTHER, null, null, Map.of(), List.of()));
    return new ThemeModel(surveyId, now, themes, spaces, assignments, settings.otherBelow());
  }

  private static void clusterLanguage(String surveyId, String language, List<ThemeItem> unordered,
                                      List<ThemeModel.Theme> previous, ThemeClusterer.Settings settings,
                                      List<ThemeModel.Theme> themes, List<ThemeModel.Assignment> assignments,
                                      Map<String, ThemeModel.Space> spaces, Set<String> usedIds) {
    // A stable order, whatever order the database returned them in, and one that depends on what
    // the comments say rather than on their random ids: the same comments give the same themes on
    // any server, and themes-eval's figures are the server's.
    List<ThemeItem> group = new ArrayList<>(unordered);
    group.sort(Comparator.<ThemeItem>comparingInt(i -> i.analysis().text().redacted().hashCode())
        .thenComparing(i -> i.analysis().text().redacted()).thenComparing(ThemeItem::key));
    List<ThemeClusterer.Comment> comments = group.stream()
        .map(i -> new ThemeClusterer.Comment(i.analysis().vector(), i.analysis().text().terms(), i.analysis().text().keyPhrases()))
        .toList();
    ThemeClusterer.Result result = new ThemeClusterer(settings).cluster(comments, settings.fixedThemes());
    List<String> labels = ThemeLabels.labels(group.stream()
        .map(i -> new ThemeLabels.Source(i.analysis().text().language(), i.analysis().text().keyPhrases(), i.analysis().text().surfaces(), i.analysis().text().terms()))
        .toList(), result.theme(), result.themes());
    Features features = result.features();
    boolean withVectors = features.dimensions() > 0;
    Map<String, Double> idf = new HashMap<>();
    for (int f = 0; f < features.vocabulary().size(); f++) {
      idf.put(features.vocabulary().get(f), features.idf(f));
    }
    double weight = withVectors ? settings.embeddingWeight() : 0;
    spaces.put(language, new ThemeModel.Space(language, features.mean(), idf, weight));

    int n = group.size();
    int[] everyone = new int[n];
    for (int i = 0; i < n; i++) {
      everyone[i] = i;
    }
    // Centres in the joint space the clustering used; split into their sentence and word parts for
    // assigning later comments, whose words are weighed with this build's idf.
    float[][] centres = ThemeClusterer.centroids(features, everyone, result.theme(), result.themes());
    List<List<Integer>> membersOf = new ArrayList<>();
    for (int t = 0; t < result.themes(); t++) {
      membersOf.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      if (result.theme()[i] >= 0) {
        membersOf.get(result.theme()[i]).add(i);
      }
    }
    for (int t = 0; t < result.themes(); t++) {
      List<Integer> members = membersOf.get(t);
      if (members.isEmpty()) {
        continue;
      }
      float[] centre = centres[t];
      float[] vectorCentroid = withVectors ? Arrays.copyOf(centre, features.dimensions()) : null;
      normalise(vectorCentroid);
      Map<String, Double> lexicalCentroid = new HashMap<>();
      for (int f = 0; f < features.vocabulary().size(); f++) {
        float value = centre[features.dimensions() + f];
        if (value != 0) {
          lexicalCentroid.put(features.vocabulary().get(f), (double) value);
        }
      }
      normalise(lexicalCentroid);
      List<double[]> central = new ArrayList<>();
      for (int i : members) {
        central.add(new double[] {i, features.similarity(i, centre)});
      }
      central.sort(Comparator.<double[]>comparingDouble(c -> -c[1]).thenComparingDouble(c -> c[0]));
      List<String> anchors = central.stream().limit(ANCHORS).map(c -> group.get((int) c[0]).key()).toList();
      String id = matchPrevious(anchors, previous, usedIds);
      if (id == null) {
        id = newId(surveyId, anchors.get(0));
      }
      usedIds.add(id);
      ThemeModel.Theme theme = new ThemeModel.Theme(id, labels.get(t), ThemeModel.Kind.THEME, language,
          vectorCentroid, lexicalCentroid, anchors);
      themes.add(theme);
      for (double[] c : central) {
        assignments.add(new ThemeModel.Assignment(light(group.get((int) c[0])), id, c[1]));
      }
    }
    for (int i = 0; i < n; i++) {
      if (result.theme()[i] == ThemeClusterer.OTHER) {
        assignments.add(new ThemeModel.Assignment(light(group.get(i)), OTHER_ID, 0));
      }
    }
  }

  /** The previous theme most of whose surviving anchors are in this one, if any (and not yet taken). */
  private static String matchPrevious(List<String> anchors, List<ThemeModel.Theme> previous, Set<String> usedIds) {
    Set<String> current = new HashSet<>(anchors);
    String best = null;
    double bestShare = 0.5;
    for (ThemeModel.Theme old : previous) {
      if (old.kind() != ThemeModel.Kind.THEME || old.anchors().isEmpty() || usedIds.contains(old.id())) {
        continue;
      }
      long shared = old.anchors().stream().filter(current::contains).count();
      double share = shared / (double) Math.min(old.anchors().size(), anchors.size());
      if (share > bestShare) {
        bestShare = share;
        best = old.id();
      }
    }
    return best;
  }

  private static String newId(String surveyId, String anchor) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest((surveyId + "|" + anchor).getBytes(StandardCharsets.UTF_8));
      return "t-" + HexFormat.of().formatHex(hash, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The space a comment is themed in: every comment with a sentence vector (English, and other
   * languages through their English gloss) is themed together, in the vectors' language; the rest
   * by their own language's words.
   */
  static String space(ThemeItem item) {
    return item.analysis().quantized() != null ? Analysers.VECTOR_LANGUAGE : item.analysis().text().language();
  }

  static String languageThemeId(String language) {
    return "lang-" + language;
  }

  /**
   * The group for a language's comments that are not in themes: untranslated when Heard cannot
   * analyse the language, or too few (under {@link #MIN_COMMENTS}) to find themes in yet.
   */
  static ThemeModel.Theme languageTheme(String language, boolean analysable) {
    String name = new Locale(language).getDisplayLanguage(Locale.ENGLISH);
    String named = "Comments in " + (name.isBlank() ? language : name) + " (" + language + ")";
    return new ThemeModel.Theme(languageThemeId(language),
        named + (analysable ? ", too few to find themes in yet" : ", untranslated"),
        ThemeModel.Kind.LANGUAGE, language, null, Map.of(), List.of());
  }

  /** A model keeps only what reports need of each comment: its vector and words were for clustering. */
  static ThemeItem light(ThemeItem item) {
    return new ThemeItem(item.responseId(), item.questionId(), item.receivedAt(), item.channel(), item.area(),
        item.groups(), item.analysis().light());
  }

  private static ThemeClusterer.Comment comment(ThemeItem item) {
    return new ThemeClusterer.Comment(null, item.analysis().text().terms(), item.analysis().text().keyPhrases());
  }

  static Map<String, Double> tfidf(ThemeItem item, Map<String, Double> idf) {
    Map<String, Double> weights = new HashMap<>();
    Features.features(comment(item)).forEach((term, tf) -> {
      Double weight = idf.get(term);
      if (weight != null) {
        weights.put(term, (1 + Math.log(tf)) * weight);
      }
    });
    normalise(weights);
    return weights;
  }

  static double similarity(float[] vector, Map<String, Double> lexical, ThemeModel.Theme theme, double weight) {
    double s = 0;
    if (vector != null && theme.vectorCentroid() != null) {
      double dot = 0;
      for (int d = 0; d < vector.length; d++) {
        dot += vector[d] * theme.vectorCentroid()[d];
      }
      s += weight * dot;
    }
    double dot = 0;
    for (Map.Entry<String, Double> entry : lexical.entrySet()) {
      Double c = theme.lexicalCentroid().get(entry.getKey());
      if (c != null) {
        dot += entry.getValue() * c;
      }
    }
    return s + (1 - weight) * dot;
  }

  private static void normalise(float[] v) {
    if (v == null) {
      return;
    }
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (norm > 0) {
      float scale = (float) (1 / Math.sqrt(norm));
      for (int d = 0; d < v.length; d++) {
        v[d] *= scale;
      }
    }
  }

  private static void normalise(Map<String, Double> v) {
    double norm = Math.sqrt(v.values().stream().mapToDouble(x -> x * x).sum());
    if (norm > 0) {
      v.replaceAll((k, x) -> x / norm);
    }
  }
}
