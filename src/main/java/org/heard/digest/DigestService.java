package org.heard.digest;

import static org.heard.privacy.SmallNumbers.SUPPRESS_BELOW;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.heard.actions.ActionStore;
import org.heard.privacy.Disclosure;
import org.heard.privacy.SmallNumbers;
import org.heard.survey.Area;
import org.heard.survey.ChoiceOption;
import org.heard.survey.Partnership;
import org.heard.survey.Question;
import org.heard.survey.SurveyDefinition;
import org.heard.survey.SurveyJson;
import org.heard.survey.SurveyVersions;
import org.heard.themes.ThemeDisclosure;
import org.heard.themes.ThemeQuery;
import org.heard.themes.ThemeService;

/**
 * A board's digest of one survey for one period (and optionally one area): responses by channel
 * against the previous period, indicators with Wilson intervals against target and their trend,
 * themes, reach by area and equality-monitoring group against the population (with
 * under-represented groups flagged and the channels each group answered through), and the
 * "you said, we did" actions on its themes. Every count from 1 to 4 in a breakdown is suppressed.
 */
public final class DigestService {
  /** A group is under-represented when its share of responses is below this fraction of its population share... */
  public static final double UNDER_REPRESENTED = 0.6;
  /** ...and this many people answered the question, enough to say so. */
  public static final int ENOUGH_TO_SAY = 30;
  /** A group mostly reached offline: at least this share of its responses came by SMS or paper. */
  public static final double MOSTLY_OFFLINE = 0.5;
  public static final int TREND_PERIODS = 6;
  static final List<String> CHANNELS = List.of("web", "sms", "paper", "api");

  private final DigestCounts counts;
  private final Recount recount;
  private final ThemeService themes;
  /**
   * How long a digest waits for its themes (a first build, or the model read back after a restart,
   * takes seconds at 100,000 comments): the counts are shown at once, the themes once ready.
   */
  static final Duration THEME_WAIT = Duration.ofSeconds(1);
  private final ActionStore actions;
  private final Partnership partnership;
  private final IndicatorPacks packs;
  private final SurveyVersions versions;

  public DigestService(DigestCounts counts, Recount recount, ThemeService themes, ActionStore actions,
                       IndicatorPacks packs, SurveyVersions versions, Partnership partnership) {
    this.recount = recount;
    this.packs = packs;
    this.versions = versions;
    this.counts = counts;
    this.themes = themes;
    this.actions = actions;
    this.partnership = partnership;
  }

  /** The digest of a period; refused (503) while the counts are being rebuilt, rather than shown partial. */
  public Future<JsonObject> digest(SurveyDefinition survey, LocalDate from, LocalDate to, String area) {
    return recount.notRunning().compose(v -> counted(survey, from, to, area));
  }

  private Future<JsonObject> counted(SurveyDefinition survey, LocalDate from, LocalDate to, String area) {
    LocalDate earliest = Periods.earliest(from, to, TREND_PERIODS);
    List<String> areas = new ArrayList<>();
    if (area == null) {
      partnership.areas().forEach(a -> areas.add(a.code()));
      areas.add(CountFields.NO_AREA);
    } else {
      areas.add(area);
    }
    ThemeQuery themeQuery = new ThemeQuery(from, to, area, null, null, null, null);
    return Future.all(counts.buckets(survey.id(), earliest, to, areas),
            themes.report(survey.id(), themeQuery, false, THEME_WAIT), actions.forSurvey(survey.id()),
            packs.partners(survey.id()),
            versions.definitions(survey.id()))
        .map(all -> {
          JsonObject digest = build(survey, from, to, area, all.resultAt(0), all.resultAt(1), all.resultAt(2))
              .put("partners", IndicatorPacks.compare(all.resultAt(3), from, to));
          markChangedIndicators(survey, digest.getJsonArray("indicators"), all.resultAt(4));
          return digest;
        });
  }

  /**
   * An indicator defined differently by an earlier version the database has run says from which
   * version it applies as shown ({@code definedFrom}), so a change of target or favourable answers
   * is never read as a change in how residents feel.
   */
  static void markChangedIndicators(SurveyDefinition survey, JsonArray indicators, List<JsonObject> recorded) {
    for (Object each : indicators) {
      JsonObject indicator = (JsonObject) each;
      Question question = survey.question(indicator.getString("question")).orElseThrow();
      JsonObject now = SurveyJson.indicator(question.indicator());
      int from = survey.version();
      boolean changed = false;
      for (int i = recorded.size() - 1; i >= 0; i--) {
        JsonObject definition = recorded.get(i);
        int version = definition.getInteger("version", 0);
        if (version >= survey.version()) {
          continue;
        }
        JsonObject before = definition.getJsonArray("questions", new JsonArray()).stream().map(JsonObject.class::cast)
            .filter(q -> question.id().equals(q.getString("id"))).findFirst().map(q -> q.getJsonObject("indicator"))
            .orElse(null);
        if (now.equals(before)) {
          from = version;
        } else {
          changed = true;
          break;
        }
      }
      if (changed) {
        indicator.put("definedFrom", from);
      }
    }
  }

  private JsonObject build(SurveyDefinition survey, LocalDate from, LocalDate to, String area,
                           List<JsonObject> buckets, JsonObject themeReport, List<JsonObject> surveyActions) {
    Periods split = Periods.split(buckets, from, to, TREND_PERIODS);
    List<LocalDate[]> periods = split.ranges();
    List<Totals> totals = split.buckets().stream().map(Totals::of).toList();
    Totals current = totals.get(totals.size() - 1);
    Totals previous = totals.get(totals.size() - 2);

    JsonObject digest = new JsonObject()
        .put("survey", survey.id())
        .put("title", survey.title().in("en", survey.defaultLanguage()).text())
        .put("from", from.toString())
        .put("to", to.toString())
        .put("area", area == null ? null : new JsonObject().put("code", area)
            .put("name", partnership.area(area).map(Area::name).orElse(area)))
        .put("previous", new JsonObject().put("from", periods.get(periods.size() - 2)[0].toString())
            .put("to", periods.get(periods.size() - 2)[1].toString()))
        .put("suppressBelow", SUPPRESS_BELOW);
    digest.put("headline", headline(current, previous));
    digest.put("indicators", indicators(survey, periods, totals));
    digest.put("themes", themes(themeReport));
    // How fresh the themes are, and a note when they are being refreshed.
    digest.put("themeModel", themeReport.getJsonObject("model"));
    if (themeReport.getString("note") != null) {
      digest.put("themeNote", themeReport.getString("note"));
    }
    digest.put("reach", reach(survey, current, split, split.size() - 1, area));
    digest.put("actions", actions(surveyActions, themeReport));
    return DigestDisclosure.apply(digest);
  }

  private static JsonObject headline(Totals current, Totals previous) {
    long now = current.get("total");
    long before = previous.get("total");
    JsonObject headline = new JsonObject();
    count(headline, "responses", now);
    count(headline, "previousResponses", before);
    headline.put("change", before == 0 || now < SUPPRESS_BELOW || before < SUPPRESS_BELOW ? null
        : Math.round(1000.0 * (now - before) / before) / 1000.0);
    JsonArray channels = new JsonArray();
    for (String channel : CHANNELS) {
      JsonObject row = new JsonObject().put("channel", channel);
      count(row, "responses", current.get("channel." + channel));
      count(row, "previousResponses", previous.get("channel." + channel));
      channels.add(row);
    }
    return headline.put("byChannel", channels);
  }

  private static JsonArray indicators(SurveyDefinition survey, List<LocalDate[]> periods, List<Totals> totals) {
    JsonArray indicators = new JsonArray();
    for (Question question : survey.questions()) {
      if (question.indicator() == null) {
        continue;
      }
      JsonArray trend = new JsonArray();
      for (int p = 0; p < periods.size(); p++) {
        trend.add(indicatorValue(totals.get(p), question).put("from", periods.get(p)[0].toString())
            .put("to", periods.get(p)[1].toString()));
      }
      JsonObject now = indicatorValue(totals.get(totals.size() - 1), question);
      Double share = now.getDouble("share");
      Double low = now.getDouble("low");
      Double high = now.getDouble("high");
      String status = share == null && now.getJsonArray("withheld", new JsonArray()).contains("share") ? "withheld"
          : share == null ? "not-enough-answers"
          : low >= question.indicator().target() ? "above-target"
          : high < question.indicator().target() ? "below-target" : "around-target";
      indicators.add(now.put("question", question.id()).put("name", question.indicator().name())
          .put("target", question.indicator().target()).put("status", status).put("trend", trend));
    }
    return indicators;
  }

  /**
   * Answers, favourable, share and its Wilson interval. The share is withheld under 5 answers, and
   * when fewer than 5 answered one way: 2 favourable of 40 shown as 5% would give the 2 back.
   */
  static JsonObject indicatorValue(Totals totals, Question question) {
    long n = totals.get("ind." + question.id() + ".n");
    long favourable = totals.get("ind." + question.id() + ".fav");
    JsonObject value = new JsonObject();
    count(value, "answered", n);
    if (n < SUPPRESS_BELOW) {
      return value.put("share", null).put("low", null).put("high", null);
    }
    if (SmallNumbers.suppressed(favourable) || SmallNumbers.suppressed(n - favourable)) {
      withholdShare(value);
      return value;
    }
    double[] interval = Wilson.interval(favourable, n);
    return value.put("favourable", favourable).put("share", round(favourable / (double) n))
        .put("low", round(interval[0])).put("high", round(interval[1]));
  }

  /** Withholds an indicator's share, interval and favourable count, naming why. */
  static void withholdShare(JsonObject value) {
    value.remove("favourable");
    value.put("share", null).put("low", null).put("high", null);
    JsonArray withheld = value.getJsonArray("withheld", new JsonArray());
    if (!withheld.contains("share")) {
      value.put("withheld", withheld.add("share"));
    }
  }

  /** The themes as a board may see them: small ones without size, share or quotes, and no size to subtract back. */
  private static JsonArray themes(JsonObject report) {
    return ThemeDisclosure.forBoards(report).getJsonArray("themes");
  }

  private JsonObject reach(SurveyDefinition survey, Totals current, Periods periods, int period, String area) {
    JsonObject reach = new JsonObject();
    JsonArray areas = new JsonArray();
    Map<String, Double> areaPopulation = partnership.population().getOrDefault("area", Map.of());
    long withArea = 0;
    Map<String, Totals> areaTotals = new LinkedHashMap<>();
    for (Area a : partnership.areas()) {
      Totals t = periods.area(period, a.code());
      areaTotals.put(a.code(), t);
      withArea += t.get("total");
    }
    if (area == null) {
      for (Area a : partnership.areas()) {
        Totals t = areaTotals.get(a.code());
        areas.add(represented(new JsonObject().put("code", a.code()).put("name", a.name()),
            t.get("total"), withArea, areaPopulation.get(a.code()), channels(t, "channel")));
      }
    }
    reach.put("areas", areas);
    JsonArray groups = new JsonArray();
    for (Question question : survey.questions()) {
      if (!question.monitoring()) {
        continue;
      }
      Map<String, Long> answers = current.under("grp." + question.id());
      long answered = 0;
      for (Map.Entry<String, Long> e : answers.entrySet()) {
        if (!e.getKey().equals(CountFields.UNANSWERED) && !e.getKey().equals(Question.PREFER_NOT_TO_SAY)) {
          answered += e.getValue();
        }
      }
      Map<String, Double> population = partnership.population().getOrDefault(question.id(), Map.of());
      JsonArray values = new JsonArray();
      for (ChoiceOption option : question.options()) {
        Map<String, Long> mix = new LinkedHashMap<>();
        for (String channel : CHANNELS) {
          mix.put(channel, current.get("gch." + question.id() + "." + CountFields.field(option.value()) + "." + channel));
        }
        values.add(represented(new JsonObject().put("value", option.value())
                .put("label", option.label("en", survey.defaultLanguage()).text()),
            answers.getOrDefault(option.value(), 0L), answered, population.get(option.value()), mix));
      }
      JsonObject group = new JsonObject().put("question", question.id())
          .put("text", question.text().in("en", survey.defaultLanguage()).text())
          .put("values", values);
      count(group, "answered", answered);
      count(group, "preferNotToSay", answers.getOrDefault(Question.PREFER_NOT_TO_SAY, 0L));
      count(group, "unanswered", answers.getOrDefault(CountFields.UNANSWERED, 0L));
      groups.add(group);
    }
    return reach.put("groups", groups);
  }

  private static Map<String, Long> channels(Totals totals, String prefix) {
    Map<String, Long> mix = new LinkedHashMap<>();
    CHANNELS.forEach(c -> mix.put(c, totals.get(prefix + "." + c)));
    return mix;
  }

  /** One row of reach: count, share, population share, the flag, and the channel mix. */
  static JsonObject represented(JsonObject row, long count, long base, Double population, Map<String, Long> mix) {
    count(row, "responses", count);
    double share = base == 0 ? 0 : count / (double) base;
    row.put("share", count > 0 && count < SUPPRESS_BELOW ? null : round(share));
    row.put("population", population);
    String flag;
    if (population == null) {
      flag = "no-population-figure";
    } else if (base < ENOUGH_TO_SAY) {
      flag = "too-few-responses";
    } else if (share < UNDER_REPRESENTED * population) {
      flag = "under-represented";
    } else {
      flag = "represented";
    }
    row.put("flag", flag);
    JsonObject channels = new JsonObject();
    long offline = 0;
    for (Map.Entry<String, Long> channel : mix.entrySet()) {
      count(channels, channel.getKey(), channel.getValue());
      if (channel.getKey().equals("sms") || channel.getKey().equals("paper")) {
        offline += channel.getValue();
      }
    }
    row.put("channels", channels);
    row.put("mostlyOffline", count >= SUPPRESS_BELOW && offline >= MOSTLY_OFFLINE * count);
    return row;
  }

  private static JsonArray actions(List<JsonObject> surveyActions, JsonObject themeReport) {
    Set<String> themeIds = new HashSet<>();
    themeReport.getJsonArray("themes").forEach(t -> themeIds.add(((JsonObject) t).getString("id")));
    JsonArray linked = new JsonArray();
    for (JsonObject action : surveyActions) {
      if (themeIds.contains(action.getString("themeId"))) {
        linked.add(action);
      }
    }
    return linked;
  }

  /**
   * Puts a count, or null with a "suppressed" list entry when it is from 1 to 4. The count itself is
   * kept aside (under {@link DigestDisclosure#RAW}) for the secondary suppression that runs once the
   * whole digest is built, and removed then.
   */
  static void count(JsonObject target, String key, long n) {
    DigestDisclosure.keepRaw(target, key, n);
    if (n > 0 && n < SUPPRESS_BELOW) {
      Disclosure.hide(target, key, "suppressed");
    } else {
      target.put(key, n);
    }
  }

  static double round(double value) {
    return Math.round(value * 10000) / 10000.0;
  }
}
