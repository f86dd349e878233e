package org.heard.digest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.privacy.SmallNumbers;
import org.heard.survey.Partnership;
import org.heard.survey.Question;
import org.heard.survey.SurveyDefinition;

/**
 * The aggregate indicator pack partnerships swap to benchmark each other: per period, response
 * counts, each indicator's share with its Wilson interval, and reach by area and group against
 * population, under the digest's disclosure rule (counts under 5 withheld, and enough others that
 * none can be worked out by subtraction) and with no personal data (no text, no ids, no quotes).
 * Format {@code heard-indicator-pack} version 1 (see README "Indicator pack"). Another Heard
 * imports it into {@code partner_packs} and shows it beside its own indicators on the digest.
 */
public final class IndicatorPacks {
  public static final String FORMAT = "heard-indicator-pack";
  public static final int VERSION = 1;
  public static final String COLLECTION = "partner_packs";
  static final int MAX_PERIODS = 24;

  private final DigestCounts counts;
  private final MongoClient mongo;
  private final Partnership partnership;
  private final Clock clock;

  public IndicatorPacks(DigestCounts counts, MongoClient mongo, Partnership partnership, Clock clock) {
    this.counts = counts;
    this.mongo = mongo;
    this.partnership = partnership;
    this.clock = clock;
  }

  /** The partners' packs of a survey. */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("survey", 1), new IndexOptions().name("survey"));
  }

  /** The pack for {@code periods} consecutive periods of the given length ending with from..to. */
  public Future<JsonObject> export(SurveyDefinition survey, LocalDate from, LocalDate to, int periods) {
    long days = Periods.days(from, to);
    List<String> areas = new ArrayList<>();
    partnership.areas().forEach(a -> areas.add(a.code()));
    areas.add(CountFields.NO_AREA);
    return counts.buckets(survey.id(), Periods.earliest(from, to, periods), to, areas).map(buckets -> {
      Periods split = Periods.split(buckets, from, to, periods);
      JsonArray list = new JsonArray();
      for (int p = 0; p < split.size(); p++) {
        LocalDate start = split.ranges().get(p)[0];
        LocalDate end = split.ranges().get(p)[1];
        List<JsonObject> in = split.buckets().get(p);
        Totals totals = Totals.of(in);
        JsonObject period = new JsonObject().put("from", start.toString()).put("to", end.toString());
        DigestService.count(period, "responses", totals.get("total"));
        JsonArray indicators = new JsonArray();
        for (Question question : survey.questions()) {
          if (question.indicator() != null) {
            indicators.add(DigestService.indicatorValue(totals, question).put("question", question.id())
                .put("name", question.indicator().name()).put("target", question.indicator().target()));
          }
        }
        period.put("indicators", indicators);
        JsonArray reach = new JsonArray();
        long withArea = 0;
        for (var area : partnership.areas()) {
          withArea += split.area(p, area.code()).get("total");
        }
        for (var area : partnership.areas()) {
          long n = split.area(p, area.code()).get("total");
          JsonObject row = DigestService.represented(new JsonObject().put("group", "area").put("value", area.code()),
              n, withArea, partnership.population().getOrDefault("area", Map.of()).get(area.code()), Map.of());
          row.remove("channels");
          row.remove("mostlyOffline");
          reach.add(row);
        }
        period.put("reach", reach);
        list.add(DigestDisclosure.applyToPackPeriod(period));
      }
      return new JsonObject().put("format", FORMAT).put("version", VERSION)
          .put("partnership", partnership.name()).put("survey", survey.id())
          .put("generatedAt", clock.instant().toString()).put("periodDays", days)
          .put("suppressBelow", SmallNumbers.SUPPRESS_BELOW).put("periods", list);
    });
  }

  /** Checks and stores another partnership's pack; the same pack imported twice is stored once. */
  public Future<JsonObject> importPack(JsonObject pack) {
    List<FieldError> errors = new ArrayList<>();
    if (!FORMAT.equals(pack.getValue("format"))) {
      errors.add(new FieldError("format", "not_a_pack", "format must be \"" + FORMAT + "\""));
    }
    if (!Integer.valueOf(VERSION).equals(pack.getValue("version"))) {
      errors.add(new FieldError("version", "unsupported", "only version " + VERSION + " packs can be imported"));
    }
    if (!(pack.getValue("partnership") instanceof String name) || name.isBlank()) {
      errors.add(new FieldError("partnership", "required", "the pack must name its partnership"));
    }
    if (!(pack.getValue("survey") instanceof String)) {
      errors.add(new FieldError("survey", "required", "the pack must name its survey"));
    }
    if (!(pack.getValue("periods") instanceof JsonArray periods) || periods.isEmpty() || periods.size() > MAX_PERIODS) {
      errors.add(new FieldError("periods", "required", "the pack needs 1 to " + MAX_PERIODS + " periods"));
    } else {
      for (int i = 0; i < periods.size(); i++) {
        checkPeriod(periods.getValue(i), "periods[" + i + "]", errors);
      }
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(new HeardException.Invalid("invalid-pack", "This is not an indicator pack Heard can import.", errors));
    }
    // Only the documented fields are kept: nothing else in a file from elsewhere is stored.
    JsonArray periods = new JsonArray();
    for (Object p : pack.getJsonArray("periods")) {
      JsonObject period = (JsonObject) p;
      JsonArray indicators = new JsonArray();
      for (Object i : period.getJsonArray("indicators")) {
        JsonObject indicator = (JsonObject) i;
        indicators.add(new JsonObject().put("question", indicator.getString("question")).put("name", indicator.getString("name"))
            .put("target", indicator.getValue("target")).put("answered", indicator.getValue("answered"))
            .put("share", indicator.getValue("share")).put("low", indicator.getValue("low")).put("high", indicator.getValue("high")));
      }
      periods.add(new JsonObject().put("from", period.getString("from")).put("to", period.getString("to"))
          .put("responses", period.getValue("responses")).put("indicators", indicators)
          .put("reach", period.getJsonArray("reach", new JsonArray()).copy()));
    }
    JsonObject stored = new JsonObject().put("partnership", pack.getString("partnership")).put("survey", pack.getString("survey"))
        .put("generatedAt", pack.getString("generatedAt")).put("periodDays", pack.getValue("periodDays"))
        .put("periods", periods).put("importedAt", clock.instant().toString());
    stored.put("_id", id(stored));
    return mongo.save(COLLECTION, stored).map(v -> stored);
  }

  private static void checkPeriod(Object value, String path, List<FieldError> errors) {
    if (!(value instanceof JsonObject period)) {
      errors.add(new FieldError(path, "wrong_type", "each period must be an object"));
      return;
    }
    try {
      LocalDate from = LocalDate.parse(String.valueOf(period.getValue("from")));
      LocalDate to = LocalDate.parse(String.valueOf(period.getValue("to")));
      if (from.isAfter(to)) {
        errors.add(new FieldError(path + ".from", "after_to", "from is after to"));
      }
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(path + ".from", "not_a_date", "from and to must be dates like 2026-01-31"));
    }
    if (!(period.getValue("indicators") instanceof JsonArray indicators)) {
      errors.add(new FieldError(path + ".indicators", "required", "each period needs its indicators"));
      return;
    }
    for (int i = 0; i < indicators.size(); i++) {
      if (!(indicators.getValue(i) instanceof JsonObject indicator) || !(indicator.getValue("question") instanceof String)) {
        errors.add(new FieldError(path + ".indicators[" + i + "]", "wrong_type", "an indicator needs its question id"));
        continue;
      }
      Object share = indicator.getValue("share");
      if (share != null && (!(share instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1)) {
        errors.add(new FieldError(path + ".indicators[" + i + "].share", "out_of_range", "share must be between 0 and 1, or null"));
      }
    }
  }

  private static String id(JsonObject pack) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest((pack.getString("partnership") + "|" + pack.getString("survey")
          + "|" + pack.getString("generatedAt")).getBytes(StandardCharsets.UTF_8));
      return "pack-" + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Imported packs for a survey id, newest first. */
  public Future<List<JsonObject>> partners(String surveyId) {
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("survey", surveyId),
        new FindOptions().setSort(new JsonObject().put("importedAt", -1)));
  }

  /**
   * Partner figures beside ours: for each imported pack, its period that overlaps ours most (else its
   * latest) and its indicator values for the questions we share.
   */
  static JsonArray compare(List<JsonObject> packs, LocalDate from, LocalDate to) {
    JsonArray partners = new JsonArray();
    for (JsonObject pack : packs) {
      JsonObject best = null;
      long bestOverlap = -1;
      for (Object p : pack.getJsonArray("periods", new JsonArray())) {
        JsonObject period = (JsonObject) p;
        LocalDate start = LocalDate.parse(period.getString("from"));
        LocalDate end = LocalDate.parse(period.getString("to"));
        LocalDate overlapStart = start.isAfter(from) ? start : from;
        LocalDate overlapEnd = end.isBefore(to) ? end : to;
        long overlap = overlapEnd.isBefore(overlapStart) ? 0
            : ChronoUnit.DAYS.between(overlapStart, overlapEnd) + 1;
        if (overlap > bestOverlap || (overlap == bestOverlap && best != null
            && LocalDate.parse(period.getString("to")).isAfter(LocalDate.parse(best.getString("to"))))) {
          bestOverlap = overlap;
          best = period;
        }
      }
      if (best != null) {
        partners.add(new JsonObject().put("partnership", pack.getString("partnership")).put("from", best.getString("from"))
            .put("to", best.getString("to")).put("overlapDays", bestOverlap).put("responses", best.getValue("responses"))
            .put("indicators", best.getJsonArray("indicators")));
      }
    }
    return partners;
  }
}
