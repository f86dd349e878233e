package org.heard.themes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A survey's themes: every analysed comment assigned to one theme, "other", or (for a language
 * Heard cannot analyse, or too few comments in it) its language group. Built by
 * {@link ThemeModelBuilder}; new comments are assigned to the nearest existing theme until the
 * next rebuild. Confined to one thread (the service's event loop) after it is built.
 */
public final class ThemeModel {
  public enum Kind { THEME, OTHER, LANGUAGE }

  /** One theme with what is needed to assign new comments to it. */
  public record Theme(String id, String label, Kind kind, String language, float[] vectorCentroid,
                      Map<String, Double> lexicalCentroid, List<String> anchors) {
  }

  /** Where one comment went, and how close it is to its theme's centre (for choosing quotes). */
  public record Assignment(ThemeItem item, String themeId, double centrality) {
  }

  /** The per-language feature settings that assignment needs (centring mean and idf). */
  record Space(String language, float[] mean, Map<String, Double> idf, double weight) {
  }

  private final String surveyId;
  private final Instant builtAt;
  private final Map<String, Theme> themes = new LinkedHashMap<>();
  private final Map<String, Space> spaces;
  private final Map<String, Assignment> assignments = new LinkedHashMap<>();
  private final int builtFrom;
  private final double otherBelow;

  ThemeModel(String surveyId, Instant builtAt, List<Theme> themes, Map<String, Space> spaces,
             List<Assignment> assignments, double otherBelow) {
    this.surveyId = surveyId;
    this.builtAt = builtAt;
    themes.forEach(theme -> this.themes.put(theme.id(), theme));
    this.spaces = new HashMap<>(spaces);
    assignments.forEach(a -> this.assignments.put(a.item().key(), a));
    this.builtFrom = assignments.size();
    this.otherBelow = otherBelow;
  }

  public String surveyId() {
    return surveyId;
  }

  public Instant builtAt() {
    return builtAt;
  }

  Map<String, Space> spaces() {
    return spaces;
  }

  double otherBelow() {
    return otherBelow;
  }

  public List<Theme> themes() {
    return new ArrayList<>(themes.values());
  }

  public Theme theme(String id) {
    return themes.get(id);
  }

  public Collection<Assignment> assignments() {
    return assignments.values();
  }

  public int builtFrom() {
    return builtFrom;
  }

  /** Comments added since the build (the trigger for the next rebuild). */
  public int addedSinceBuild() {
    return assignments.size() - builtFrom;
  }

  /** Theme ids per response (a response with two theme questions can be in two themes). */
  public Map<String, List<String>> themeIdsByResponse() {
    Map<String, List<String>> ids = new HashMap<>();
    for (Assignment a : assignments.values()) {
      List<String> list = ids.computeIfAbsent(a.item().responseId(), k -> new ArrayList<>(2));
      if (!list.contains(a.themeId())) {
        list.add(a.themeId());
      }
    }
    return ids;
  }

  public void remove(String responseId) {
    assignments.values().removeIf(a -> a.item().responseId().equals(responseId));
  }

  /** Assigns a new comment to the nearest theme of its language, else "other" or its language group. */
  public Assignment add(ThemeItem item) {
    Assignment assignment = assign(item);
    assignments.put(item.key(), assignment);
    return assignment;
  }

  private Assignment assign(ThemeItem item) {
    String language = item.analysis().text().language();
    String spaceName = ThemeModelBuilder.space(item);
    Space space = spaces.get(spaceName);
    if (space == null || !item.analysis().text().analysed()) {
      String id = ThemeModelBuilder.languageThemeId(language);
      themes.computeIfAbsent(id, k -> ThemeModelBuilder.languageTheme(language, item.analysis().text().analysed()));
      return new Assignment(ThemeModelBuilder.light(item), id, 0);
    }
    float[] vector = Features.centre(item.analysis().vector(), space.mean());
    Map<String, Double> lexical = ThemeModelBuilder.tfidf(item, space.idf());
    Theme best = null;
    double bestSimilarity = otherBelow;
    for (Theme theme : themes.values()) {
      if (theme.kind() != Kind.THEME || !spaceName.equals(theme.language())) {
        continue;
      }
      double similarity = ThemeModelBuilder.similarity(vector, lexical, theme, space.weight());
      if (similarity > bestSimilarity) {
        bestSimilarity = similarity;
        best = theme;
      }
    }
    ThemeItem kept = ThemeModelBuilder.light(item);
    return best == null ? new Assignment(kept, ThemeModelBuilder.OTHER_ID, 0) : new Assignment(kept, best.id(), bestSimilarity);
  }
}
