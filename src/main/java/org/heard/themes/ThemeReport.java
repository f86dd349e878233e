package org.heard.themes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Themes for one query over a model: each theme's size and share of the period's comments, the
 * same for the previous period and the change, three representative redacted quotes (the
 * comments nearest the theme's centre), and for analysts the ids of the responses in it.
 * A change is "up" or "down" when the share moved by at least {@link #CHANGE_POINTS} percentage
 * points, "new" when the theme had no comments before.
 */
public final class ThemeReport {
  static final double CHANGE_POINTS = 2.0;
  private static final int QUOTES = 3;

  private ThemeReport() {
  }

  public static JsonObject of(ThemeModel model, ThemeQuery query, ZoneId zone, boolean members) {
    ThemeQuery previous = query.previous();
    Map<String, List<ThemeModel.Assignment>> current = new LinkedHashMap<>();
    Map<String, Integer> before = new HashMap<>();
    int total = 0;
    int totalBefore = 0;
    for (ThemeModel.Assignment a : model.assignments()) {
      if (query.matches(a.item(), zone)) {
        current.computeIfAbsent(a.themeId(), k -> new ArrayList<>()).add(a);
        total++;
      } else if (previous.matches(a.item(), zone)) {
        before.merge(a.themeId(), 1, Integer::sum);
        totalBefore++;
      }
    }
    JsonArray themes = new JsonArray();
    List<ThemeModel.Theme> ordered = new ArrayList<>(model.themes());
    // Themes by size, then language groups, "other" last.
    ordered.sort(Comparator.<ThemeModel.Theme>comparingInt(t -> t.kind().ordinal() == 0 ? 0 : t.kind() == ThemeModel.Kind.LANGUAGE ? 1 : 2)
        .thenComparing(t -> -current.getOrDefault(t.id(), List.of()).size())
        .thenComparing(ThemeModel.Theme::id));
    for (ThemeModel.Theme theme : ordered) {
      List<ThemeModel.Assignment> in = current.getOrDefault(theme.id(), List.of());
      int previousSize = before.getOrDefault(theme.id(), 0);
      if (in.isEmpty() && previousSize == 0) {
        continue;
      }
      double share = total == 0 ? 0 : in.size() / (double) total;
      double previousShare = totalBefore == 0 ? 0 : previousSize / (double) totalBefore;
      JsonObject json = new JsonObject()
          .put("id", theme.id())
          .put("label", theme.label())
          .put("kind", theme.kind().name().toLowerCase(Locale.ROOT))
          .put("size", in.size())
          .put("share", round(share))
          .put("previousSize", previousSize)
          .put("previousShare", round(previousShare))
          .put("change", change(in.size(), share, previousSize, previousShare))
          .put("quotes", quotes(in));
      if (theme.language() != null) {
        json.put("language", theme.language());
      }
      if (members) {
        json.put("members", new JsonArray(in.stream().map(a -> a.item().responseId()).distinct().sorted().toList()));
      }
      themes.add(json);
    }
    return new JsonObject()
        .put("survey", model.surveyId())
        .put("from", query.from().toString())
        .put("to", query.to().toString())
        .put("previous", new JsonObject().put("from", previous.from().toString()).put("to", previous.to().toString())
            .put("comments", totalBefore))
        .put("comments", total)
        .put("model", freshness(model, "current"))
        .put("themes", themes);
  }

  /**
   * How fresh the model is: when it was built, from how many comments, how many arrived since, and
   * its state ({@code current}, {@code refreshing} while a rebuild runs, {@code failed} when the last
   * rebuild failed and this is the last good one).
   */
  static JsonObject freshness(ThemeModel model, String state) {
    return new JsonObject().put("state", state).put("builtAt", model.builtAt().toString())
        .put("builtFrom", model.builtFrom()).put("arrivedSince", Math.max(0, model.addedSinceBuild()))
        .put("comments", model.assignments().size());
  }

  /** No model yet (the first build is running or failed): no themes, and a note saying so. */
  static JsonObject none(String surveyId, ThemeQuery query, String state) {
    ThemeQuery previous = query.previous();
    return new JsonObject().put("survey", surveyId).put("from", query.from().toString()).put("to", query.to().toString())
        .put("previous", new JsonObject().put("from", previous.from().toString()).put("to", previous.to().toString())
            .put("comments", 0))
        .put("comments", 0).put("model", new JsonObject().put("state", state)
            .put("progress", "/api/v1/jobs/" + ThemeService.JOB_PREFIX + surveyId))
        .put("note", "Themes are being refreshed: they will be shown once the comments have been grouped.")
        .put("themes", new JsonArray());
  }

  static String change(int size, double share, int previousSize, double previousShare) {
    if (size > 0 && previousSize == 0) {
      return "new";
    }
    double points = 100 * (share - previousShare);
    return points >= CHANGE_POINTS ? "up" : points <= -CHANGE_POINTS ? "down" : "same";
  }

  private static JsonArray quotes(List<ThemeModel.Assignment> in) {
    List<ThemeModel.Assignment> sorted = new ArrayList<>(in);
    sorted.sort(Comparator.comparingDouble((ThemeModel.Assignment a) -> -a.centrality()).thenComparing(a -> a.item().key()));
    JsonArray quotes = new JsonArray();
    Set<String> seen = new HashSet<>();
    for (ThemeModel.Assignment a : sorted) {
      String text = a.item().analysis().text().redacted();
      if (text.isBlank() || !seen.add(text)) {
        continue;
      }
      quotes.add(new JsonObject().put("text", text).put("language", a.item().analysis().text().language()));
      if (quotes.size() == QUOTES) {
        break;
      }
    }
    return quotes;
  }

  private static double round(double value) {
    return Math.round(value * 10000) / 10000.0;
  }

  /**
   * Every redacted comment of one theme in the query's period, newest first, with its language,
   * day and channel; null when there is no model or no such theme.
   */
  static JsonObject comments(ThemeModel model, String themeId, ThemeQuery query, ZoneId zone) {
    ThemeModel.Theme theme = model == null ? null : model.theme(themeId);
    if (theme == null) {
      return null;
    }
    List<ThemeModel.Assignment> in = new ArrayList<>();
    for (ThemeModel.Assignment a : model.assignments()) {
      if (a.themeId().equals(themeId) && query.matches(a.item(), zone)) {
        in.add(a);
      }
    }
    in.sort(Comparator.comparing((ThemeModel.Assignment a) -> a.item().receivedAt()).reversed()
        .thenComparing(a -> a.item().key()));
    JsonArray comments = new JsonArray();
    for (ThemeModel.Assignment a : in) {
      comments.add(new JsonObject().put("text", a.item().analysis().text().redacted())
          .put("language", a.item().analysis().text().language())
          .put("day", a.item().receivedAt().atZone(zone).toLocalDate().toString())
          .put("channel", a.item().channel()));
    }
    return new JsonObject().put("survey", model.surveyId()).put("id", theme.id()).put("label", theme.label())
        .put("kind", theme.kind().name().toLowerCase(Locale.ROOT))
        .put("from", query.from().toString()).put("to", query.to().toString())
        .put("size", in.size()).put("comments", comments);
  }
}
