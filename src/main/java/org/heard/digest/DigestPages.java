package org.heard.digest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.heard.actions.ActionService;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditLog;
import org.heard.auth.Role;
import org.heard.auth.StaffUser;
import org.heard.http.StaffGate;
import org.heard.http.StaffView;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.heard.themes.ThemeComments;
import org.heard.themes.ThemeQuery;
import org.heard.themes.ThemeRequests;

/**
 * The board digest page: one survey, one period, optionally one area, readable in ten minutes
 * and printable as an A4 pack. The numbers come from {@link DigestService} (the same JSON the API
 * serves); this class only words and lays them out.
 */
public final class DigestPages {
  /** Rows of each list on the digest's opening summary. */
  private static final int SUMMARY_ROWS = 5;

  private final StaffView view;
  private final SurveyCatalog catalog;
  private final DigestService digests;
  private final AuditLog audit;
  private final Clock clock;
  private final ThemeComments comments;

  public DigestPages(StaffView view, SurveyCatalog catalog, DigestService digests, ThemeComments comments,
                     AuditLog audit, Clock clock) {
    this.comments = comments;
    this.view = view;
    this.catalog = catalog;
    this.digests = digests;
    this.audit = audit;
    this.clock = clock;
  }

  /** {@code GET /staff/digests}: the surveys, each linking to its digest. */
  public void list(RoutingContext ctx) {
    Map<String, Object> model = view.model(ctx, "Digests");
    List<Map<String, Object>> surveys = new ArrayList<>();
    for (SurveyDefinition survey : catalog.all()) {
      surveys.add(Map.of("id", survey.id(), "title", survey.title().in("en", survey.defaultLanguage()).text()));
    }
    model.put("surveys", surveys);
    view.send(ctx, "staff-digests", model);
  }

  /** {@code GET /staff/digests/{survey}?from=&to=&area=}. */
  public void page(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    SurveyDefinition survey = catalog.require(ctx.pathParam("surveyId"));
    ThemeQuery query = ThemeRequests.query(ctx, survey, catalog, clock);
    digests.digest(survey, query.from(), query.to(), query.area())
        .compose(digest -> audit.record(user, AuditAction.DIGEST_VIEWED, List.of(survey.id()), Map.of("from", query.from().toString(),
                "to", query.to().toString(), "area", query.area() == null ? "all" : query.area())).map(digest))
        .onFailure(ctx::fail)
        .onSuccess(digest -> {
          Map<String, Object> model = view.model(ctx, "Digest: " + digest.getString("title"));
          model.put("digest", viewModel(digest, survey, user, catalog.partnership().timezone()));
          model.put("areas", catalog.partnership().areas().stream().map(a -> Map.of("code", a.code(), "name", a.name(),
              "selected", a.code().equals(query.area()))).toList());
          view.send(ctx, "staff-digest", model);
        });
  }

  /** {@code GET /staff/digests/{survey}/themes/{theme}?from=&to=&area=}: every redacted comment of a theme. */
  public void theme(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    SurveyDefinition survey = catalog.require(ctx.pathParam("surveyId"));
    ThemeQuery query = ThemeRequests.query(ctx, survey, catalog, clock);
    String themeId = ctx.pathParam("themeId");
    comments.read(user, survey, themeId, query)
        .onFailure(ctx::fail)
        .onSuccess(found -> {
          Map<String, Object> model = view.model(ctx, "Theme: " + found.getString("label"));
          model.put("surveyId", survey.id());
          model.put("surveyTitle", survey.title().in("en", survey.defaultLanguage()).text());
          model.put("label", found.getString("label"));
          model.put("from", query.from().toString());
          model.put("to", query.to().toString());
          model.put("back", "/staff/digests/" + survey.id() + "?from=" + query.from() + "&to=" + query.to()
              + (query.area() == null ? "" : "&area=" + query.area()));
          model.put("count", count(found, "size"));
          model.put("suppressed", found.getBoolean("suppressed", false));
          model.put("comments", found.getJsonArray("comments").stream().map(c -> {
            JsonObject comment = (JsonObject) c;
            return Map.of("text", comment.getString("text"), "language", comment.getString("language"),
                "day", comment.getString("day"), "channel", channelName(comment.getString("channel")));
          }).toList());
          view.send(ctx, "staff-theme", model);
        });
  }

  static Map<String, Object> viewModel(JsonObject digest, SurveyDefinition survey, StaffUser user, ZoneId zone) {
    Map<String, Object> m = new HashMap<>();
    m.put("surveyId", survey.id());
    m.put("title", digest.getString("title"));
    m.put("from", digest.getString("from"));
    m.put("to", digest.getString("to"));
    m.put("previousFrom", digest.getJsonObject("previous").getString("from"));
    m.put("previousTo", digest.getJsonObject("previous").getString("to"));
    JsonObject area = digest.getJsonObject("area");
    m.put("areaName", area == null ? "All areas" : area.getString("name"));
    m.put("analyst", user.role() == Role.ANALYST || user.role() == Role.ADMIN);
    JsonObject headline = digest.getJsonObject("headline");
    m.put("responses", count(headline, "responses"));
    m.put("previousResponses", count(headline, "previousResponses"));
    Double change = headline.getDouble("change");
    m.put("change", change == null ? "not shown (too few responses to compare)"
        : (change >= 0 ? "up " : "down ") + percent(Math.abs(change)) + " on the previous period");
    List<Map<String, Object>> channels = new ArrayList<>();
    for (Object c : headline.getJsonArray("byChannel")) {
      JsonObject row = (JsonObject) c;
      channels.add(Map.of("channel", channelName(row.getString("channel")), "responses", count(row, "responses"),
          "previous", count(row, "previousResponses")));
    }
    m.put("channels", channels);

    List<Map<String, Object>> indicators = new ArrayList<>();
    for (Object i : digest.getJsonArray("indicators")) {
      JsonObject indicator = (JsonObject) i;
      Map<String, Object> row = new HashMap<>();
      row.put("name", indicator.getString("name"));
      if (indicator.getInteger("definedFrom") != null) {
        row.put("definedFrom", indicator.getInteger("definedFrom"));
      }
      row.put("target", percent(indicator.getDouble("target")));
      row.put("share", shareText(indicator));
      row.put("answered", count(indicator, "answered"));
      row.put("status", switch (indicator.getString("status")) {
        case "above-target" -> "Above target";
        case "below-target" -> "Below target";
        case "around-target" -> "Around target (the target is inside the interval)";
        case "withheld" -> "Not shown: fewer than 5 answered one way, and the share would reveal how many";
        default -> "Not enough answers to say";
      });
      row.put("chart", TrendChart.svg("chart-" + indicator.getString("question"), indicator.getString("name"),
          indicator.getDouble("target"), indicator.getJsonArray("trend")));
      List<Map<String, Object>> trend = new ArrayList<>();
      for (Object t : indicator.getJsonArray("trend")) {
        JsonObject period = (JsonObject) t;
        trend.add(Map.of("period", period.getString("from") + " to " + period.getString("to"),
            "share", shareText(period), "answered", count(period, "answered")));
      }
      row.put("trend", trend);
      indicators.add(row);
    }
    m.put("indicators", indicators);

    List<Map<String, Object>> themes = new ArrayList<>();
    for (Object t : digest.getJsonArray("themes")) {
      JsonObject theme = (JsonObject) t;
      Map<String, Object> row = new HashMap<>();
      row.put("id", theme.getString("id"));
      row.put("href", "/staff/digests/" + survey.id() + "/themes/" + theme.getString("id") + "?from="
          + digest.getString("from") + "&to=" + digest.getString("to")
          + (area == null ? "" : "&area=" + area.getString("code")));
      row.put("label", theme.getString("label"));
      row.put("size", count(theme, "size"));
      row.put("share", theme.getValue("share") == null ? "–" : percent(theme.getDouble("share")));
      row.put("change", switch (theme.getString("change")) {
        case "up" -> "Up";
        case "down" -> "Down";
        case "new" -> "New";
        default -> "About the same";
      });
      row.put("changeWords", switch (theme.getString("change")) {
        case "up" -> "up since the previous period";
        case "down" -> "down since the previous period";
        case "new" -> "new this period";
        default -> "about the same as the previous period";
      });
      row.put("quotes", theme.getJsonArray("quotes").stream()
          .map(q -> Map.of("text", ((JsonObject) q).getString("text"), "language", ((JsonObject) q).getString("language")))
          .toList());
      row.put("language", theme.getString("language"));
      themes.add(row);
    }
    m.put("themes", themes);
    m.put("hasThemes", !themes.isEmpty());
    m.put("themeNote", digest.getString("themeNote"));
    JsonObject model = digest.getJsonObject("themeModel", new JsonObject());
    if (model.getString("builtAt") != null) {
      m.put("themeFreshness", "Themes built " + Instant.parse(model.getString("builtAt")).atZone(zone)
          .format(DateTimeFormatter.ofPattern("d MMMM yyyy 'at' HH:mm", Locale.UK)) + " from "
          + String.format(Locale.UK, "%,d", model.getLong("builtFrom", 0L)) + " comments; "
          + String.format(Locale.UK, "%,d", model.getLong("arrivedSince", 0L)) + " arrived since.");
    }

    JsonObject reach = digest.getJsonObject("reach");
    m.put("areaReach", reachRows(reach.getJsonArray("areas"), "name"));
    m.put("hasAreaReach", !reach.getJsonArray("areas").isEmpty());
    List<Map<String, Object>> groups = new ArrayList<>();
    for (Object g : reach.getJsonArray("groups")) {
      JsonObject group = (JsonObject) g;
      groups.add(Map.of("text", group.getString("text"), "answered", count(group, "answered"),
          "preferNot", count(group, "preferNotToSay"), "rows", reachRows(group.getJsonArray("values"), "label")));
    }
    m.put("groups", groups);

    List<Map<String, Object>> actions = new ArrayList<>();
    for (Object a : digest.getJsonArray("actions")) {
      JsonObject action = (JsonObject) a;
      actions.add(Map.of("theme", action.getString("themeLabel", action.getString("themeId")),
          "what", action.getString("what"), "agency", action.getString("agency"),
          "status", ActionService.statusName(action.getString("status")), "date", action.getString("date"),
          "published", action.getBoolean("published", false) ? "Published" : "Not published"));
    }
    m.put("actions", actions);
    m.put("hasActions", !actions.isEmpty());

    List<Map<String, Object>> partners = new ArrayList<>();
    for (Object p : digest.getJsonArray("partners", new JsonArray())) {
      JsonObject partner = (JsonObject) p;
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Object i : digest.getJsonArray("indicators")) {
        JsonObject ours = (JsonObject) i;
        JsonObject theirs = partner.getJsonArray("indicators").stream().map(JsonObject.class::cast)
            .filter(x -> ours.getString("question").equals(x.getString("question"))).findFirst().orElse(null);
        rows.add(Map.of("name", ours.getString("name"), "ours", shareText(ours),
            "theirs", theirs == null ? "not measured" : shareText(theirs)));
      }
      partners.add(Map.of("partnership", partner.getString("partnership"),
          "period", partner.getString("from") + " to " + partner.getString("to"), "rows", rows));
    }
    m.put("partners", partners);
    m.put("hasPartners", !partners.isEmpty());
    putSummary(m, themes, reach);
    return m;
  }

  /** The page the printed digest opens with: the largest themes, the indicators, the least-reached groups. */
  private static void putSummary(Map<String, Object> m, List<Map<String, Object>> themes, JsonObject reach) {
    m.put("summaryThemes", themes.subList(0, Math.min(SUMMARY_ROWS, themes.size())));
    List<JsonObject> under = new ArrayList<>();
    for (Object a : reach.getJsonArray("areas")) {
      under.add(((JsonObject) a).copy().put("summaryName", ((JsonObject) a).getString("name") + " (area)"));
    }
    for (Object g : reach.getJsonArray("groups")) {
      JsonObject group = (JsonObject) g;
      for (Object v : group.getJsonArray("values")) {
        under.add(((JsonObject) v).copy().put("summaryName", ((JsonObject) v).getString("label") + " ("
            + group.getString("text") + ")"));
      }
    }
    List<Map<String, Object>> least = under.stream()
        .filter(row -> "under-represented".equals(row.getString("flag")) && row.getDouble("share") != null
            && row.getDouble("population") != null && row.getDouble("population") > 0)
        .sorted(Comparator.comparingDouble(row -> row.getDouble("share") / row.getDouble("population")))
        .limit(SUMMARY_ROWS)
        .map(row -> Map.<String, Object>of("name", row.getString("summaryName"), "share", percent(row.getDouble("share")),
            "population", percent(row.getDouble("population"))))
        .toList();
    m.put("leastReached", least);
    m.put("hasLeastReached", !least.isEmpty());
  }

  private static List<Map<String, Object>> reachRows(JsonArray rows, String nameKey) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object r : rows) {
      JsonObject row = (JsonObject) r;
      JsonObject channels = row.getJsonObject("channels", new JsonObject());
      StringBuilder mix = new StringBuilder();
      for (String channel : List.of("web", "sms", "paper", "api")) {
        if (channels.containsKey(channel)) {
          mix.append(mix.length() == 0 ? "" : ", ").append(channelName(channel)).append(' ').append(count(channels, channel));
        }
      }
      String flag = switch (row.getString("flag")) {
        case "under-represented" -> "Under-represented";
        case "too-few-responses" -> "Too few responses to say";
        case "no-population-figure" -> "No population figure";
        default -> "Represented";
      };
      out.add(Map.of("name", row.getString(nameKey), "responses", count(row, "responses"),
          "share", row.getValue("share") == null ? "–" : percent(row.getDouble("share")),
          "population", row.getValue("population") == null ? "–" : percent(row.getDouble("population")),
          "flag", flag, "under", row.getString("flag").equals("under-represented"),
          "mix", mix.toString(), "offline", row.getBoolean("mostlyOffline", false)));
    }
    return out;
  }

  static String count(JsonObject object, String key) {
    Object value = object.getValue(key);
    if (value == null) {
      JsonArray withheld = object.getJsonArray("withheld");
      return withheld != null && withheld.contains(key) ? "not shown (it would reveal a smaller number)" : "fewer than 5";
    }
    return String.format(Locale.UK, "%,d", ((Number) value).longValue());
  }

  private static String shareText(JsonObject value) {
    Double share = value.getDouble("share");
    if (share == null) {
      return value.getJsonArray("withheld", new JsonArray()).contains("share")
          ? "not shown (fewer than 5 answered one way)" : "too few answers";
    }
    return percent(share) + " (" + percent(value.getDouble("low")) + " to " + percent(value.getDouble("high")) + ")";
  }

  static String percent(double value) {
    return String.format(Locale.UK, "%.0f%%", value * 100);
  }

  static String channelName(String channel) {
    return switch (channel) {
      case "web" -> "Web form";
      case "sms" -> "SMS";
      case "paper" -> "Paper";
      default -> "API";
    };
  }

}
