package org.heard.digest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.heard.response.ResponseStore;
import org.heard.store.Documents;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counts digests read, kept up to date as responses arrive rather than counted at read time:
 * one document per survey, day (in the partnership's time zone) and area in {@code digest_counts},
 * added to with one atomic {@code $inc} per bucket when the increments summed in memory are written
 * (once a second, before every read and at a clean stop). Fields: {@code total},
 * {@code channel.<ch>}, {@code ind.<question>.n|fav} (indicator answers and favourable ones),
 * {@code grp.<question>.<value>} and {@code gch.<question>.<value>.<ch>} (equality-monitoring
 * answers, overall and by channel). A digest for a year reads a few thousand small documents by id.
 */
public final class DigestCounts {
  public static final String COLLECTION = "digest_counts";
  static final String NO_AREA = "none";
  static final String UNANSWERED = "unanswered";
  private static final Logger LOG = LoggerFactory.getLogger(DigestCounts.class);

  private final MongoClient mongo;
  private final ResponseStore responses;
  private final SurveyCatalog catalog;
  private final ZoneId zone;

  public DigestCounts(MongoClient mongo, ResponseStore responses, SurveyCatalog catalog) {
    this.mongo = mongo;
    this.responses = responses;
    this.catalog = catalog;
    this.zone = catalog.partnership().timezone();
  }

  /**
   * Increments not yet written, by bucket. Responses arrive far faster than buckets change (a day's
   * responses in one area share one), so they are summed here and written once a second with one
   * {@code $inc} per bucket, instead of one write per response on the ingest path.
   */
  private final Map<String, Map<String, Long>> pending = new HashMap<>();

  /** Counts a newly stored response (called once per insert); written at the next {@link #flush}. */
  public void count(JsonObject response) {
    apply(response, 1);
  }

  /** Takes an erased response out of the counts. */
  public void uncount(JsonObject response) {
    apply(response, -1);
  }

  private void apply(JsonObject response, int sign) {
    SurveyDefinition survey = catalog.find(response.getString("surveyId")).orElse(null);
    if (survey == null) {
      return;
    }
    String bucket = bucketId(survey, response);
    JsonObject inc = increments(survey, response, sign);
    synchronized (pending) {
      Map<String, Long> sums = pending.computeIfAbsent(bucket, k -> new HashMap<>());
      inc.forEach(e -> sums.merge(e.getKey(), ((Number) e.getValue()).longValue(), Long::sum));
    }
  }

  /**
   * Writes the pending increments, one {@code $inc} per bucket. Those that fail (the database is
   * away) are kept and tried again at the next flush. Digests flush before they read.
   */
  public Future<Void> flush() {
    Map<String, Map<String, Long>> batch;
    synchronized (pending) {
      if (pending.isEmpty()) {
        return Future.succeededFuture();
      }
      batch = new HashMap<>(pending);
      pending.clear();
    }
    List<Future<Void>> writes = new ArrayList<>();
    for (Map.Entry<String, Map<String, Long>> bucket : batch.entrySet()) {
      JsonObject inc = new JsonObject();
      bucket.getValue().forEach((path, n) -> {
        if (n != 0) {
          inc.put(path, n);
        }
      });
      if (inc.isEmpty()) {
        continue;
      }
      writes.add(mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", bucket.getKey()),
              new JsonObject().put("$inc", inc), new UpdateOptions().setUpsert(true))
          .<Void>mapEmpty()
          .onFailure(error -> {
            synchronized (pending) {
              Map<String, Long> sums = pending.computeIfAbsent(bucket.getKey(), k -> new HashMap<>());
              bucket.getValue().forEach((path, n) -> sums.merge(path, n, Long::sum));
            }
          }));
    }
    return Future.join(writes).<Void>mapEmpty().onFailure(error -> LOG.warn(
        "digest counts could not be written now ({}); they are kept and written at the next flush", error.getMessage()));
  }

  String bucketId(SurveyDefinition survey, JsonObject response) {
    LocalDate day = Documents.instant(response.getJsonObject("receivedAt")).atZone(zone).toLocalDate();
    return id(survey.id(), day, area(survey, response.getJsonObject("answers", new JsonObject())));
  }

  static String id(String surveyId, LocalDate day, String area) {
    return surveyId + "|" + day + "|" + area;
  }

  private static String area(SurveyDefinition survey, JsonObject answers) {
    for (Question question : survey.questions()) {
      if (question.type() == QuestionType.AREA && answers.getValue(question.id()) != null) {
        return String.valueOf(answers.getValue(question.id()));
      }
    }
    return NO_AREA;
  }

  static JsonObject increments(SurveyDefinition survey, JsonObject response, int sign) {
    JsonObject answers = response.getJsonObject("answers", new JsonObject());
    String channel = response.getString("channel");
    JsonObject inc = new JsonObject().put("total", sign).put("channel." + channel, sign);
    for (Question question : survey.questions()) {
      Object value = answers.getValue(question.id());
      if (question.indicator() != null && value != null) {
        inc.put("ind." + question.id() + ".n", sign);
        if (question.indicator().isFavourable(value)) {
          inc.put("ind." + question.id() + ".fav", sign);
        }
      }
      if (question.monitoring()) {
        List<String> values = new ArrayList<>();
        if (value instanceof JsonArray list) {
          list.forEach(v -> values.add(String.valueOf(v)));
        } else {
          values.add(value == null ? UNANSWERED : String.valueOf(value));
        }
        for (String v : values) {
          String key = field(v);
          inc.put("grp." + question.id() + "." + key, sign);
          inc.put("gch." + question.id() + "." + key + "." + channel, sign);
        }
      }
    }
    return inc;
  }

  /** A value as a field name: MongoDB field names may not contain dots or start with '$'. */
  static String field(String value) {
    return value.replace('.', '\uFF0E').replace("$", "\uFF04");
  }

  static String unfield(String name) {
    return name.replace('\uFF0E', '.').replace('\uFF04', '$');
  }

  /** The buckets of a survey for the days from..to (both included), in the given areas (null: all). */
  public Future<List<JsonObject>> buckets(String surveyId, LocalDate from, LocalDate to, List<String> areas) {
    return flush().otherwiseEmpty().compose(v -> read(surveyId, from, to, areas));
  }

  private Future<List<JsonObject>> read(String surveyId, LocalDate from, LocalDate to, List<String> areas) {
    List<String> ids = new ArrayList<>();
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      for (String area : areas) {
        ids.add(id(surveyId, day, area));
      }
    }
    List<Future<List<JsonObject>>> reads = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += 2000) {
      reads.add(mongo.find(COLLECTION, new JsonObject().put("_id",
          new JsonObject().put("$in", new JsonArray(new ArrayList<>(ids.subList(i, Math.min(ids.size(), i + 2000))))))));
    }
    return Future.all(reads).map(all -> {
      List<JsonObject> buckets = new ArrayList<>();
      for (int i = 0; i < reads.size(); i++) {
        buckets.addAll(all.<List<JsonObject>>resultAt(i));
      }
      return buckets;
    });
  }

  /**
   * Recounts everything from the stored responses (after a crash between a store and its count, say);
   * {@code progress} hears how many were counted so far, every thousand.
   */
  public Future<Long> recount(LongConsumer progress) {
    Promise<Long> done = Promise.promise();
    // The recount reads every stored response, so what was waiting to be written is in it already.
    synchronized (pending) {
      pending.clear();
    }
    long[] counted = {0};
    JsonObject fields = new JsonObject().put("surveyId", 1).put("channel", 1).put("receivedAt", 1).put("answers", 1);
    // Emptied first, so the once-a-second flushes during the scan only ever add to a clean slate.
    // Responses written behind Heard's back have no number yet, and whole reads go by numbers.
    responses.numberUnnumbered().compose(n -> mongo.removeDocuments(COLLECTION, new JsonObject()))
        .onFailure(done::tryFail).onSuccess(removed ->
        responses.streamAll(fields)
            .handler(response -> {
              if (catalog.find(response.getString("surveyId")).isPresent()) {
                counted[0]++;
                count(response);
                if (counted[0] % 1000 == 0) {
                  progress.accept(counted[0]);
                }
              }
            })
            .exceptionHandler(done::tryFail)
            .endHandler(end -> flush().onComplete(written -> {
              if (written.succeeded()) {
                done.tryComplete(counted[0]);
              } else {
                done.tryFail(written.cause());
              }
            })));
    return done.future();
  }

  /** Whether there are no counts at all (a first start on an existing database: recount). */
  public Future<Boolean> empty() {
    // One document is enough to tell; a count is an aggregation, which the embedded store answers by reading them all.
    return mongo.findOne(COLLECTION, new JsonObject(), new JsonObject().put("_id", 1)).map(found -> found == null);
  }
}
