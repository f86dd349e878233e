package org.heard.digest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongConsumer;
import org.heard.error.HeardException;
import org.heard.response.ResponseSequence;
import org.heard.response.ResponseStore;
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
  private static final Logger LOG = LoggerFactory.getLogger(DigestCounts.class);

  private final MongoClient mongo;
  private final RecountLedger ledger;
  private final ResponseStore responses;
  private final SurveyCatalog catalog;
  private final ZoneId zone;

  public DigestCounts(MongoClient mongo, ResponseStore responses, SurveyCatalog catalog) {
    this.mongo = mongo;
    this.ledger = new RecountLedger(mongo);
    this.responses = responses;
    this.catalog = catalog;
    this.zone = catalog.partnership().timezone();
  }

  /** The generation field, by which a recount removes the generation it replaced. */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("g", 1), new IndexOptions().name("generation"));
  }

  /** What happened to a response, and so how a recount's scan may already have counted it. */
  enum Kind { STORED, ERASED, CORRECTED }

  /** One change waiting to be written: response number {@code number} of a survey (-1: none), its bucket's increments. */
  record Change(String surveyId, long number, Kind kind, String bucket, JsonObject inc) {
  }

  /**
   * Changes since the last flush. Responses arrive far faster than buckets change (a day's responses
   * in one area share one), so they are summed per bucket at each flush (once a second) and written
   * with one {@code $inc} per bucket, not one write per response on the ingest path.
   */
  private final List<Change> arrived = new ArrayList<>();
  /** Changes seen while a recount runs ({@link #heldRun}): settled once it is done. Guarded by {@link #arrived}. */
  private final List<Change> held = new ArrayList<>();
  private String heldRun;
  /** Numbers (survey#n) stored here that the current run's scan had not counted, so counted here. */
  private final Set<String> storedHere = new HashSet<>();
  /** Sums decided for generation {@link #unwrittenGen} whose writes failed: tried again at the next flush. */
  private final Map<String, Map<String, Long>> unwritten = new HashMap<>();
  private long unwrittenGen;
  private final Map<String, Future<Map<String, BitSet>>> countedByRun = new HashMap<>();
  private volatile RecountLedger.State state = RecountLedger.State.FIRST;

  /** Counts a newly stored response (called once per insert); written at the next {@link #flush}. */
  public void count(JsonObject response) {
    arrive(response, Kind.STORED, 1);
  }

  /** Takes an erased response out of the counts. */
  public void uncount(JsonObject response) {
    arrive(response, Kind.ERASED, -1);
  }

  /** Counts a corrected response's new answers instead of its old ones. */
  public void recorrect(JsonObject before, JsonObject after) {
    arrive(before, Kind.CORRECTED, -1);
    arrive(after, Kind.CORRECTED, 1);
  }

  private void arrive(JsonObject response, Kind kind, int sign) {
    SurveyDefinition survey = catalog.find(response.getString("surveyId")).orElse(null);
    if (survey == null) {
      return;
    }
    Change change = new Change(survey.id(), number(response), kind, bucketId(survey, response),
        CountFields.increments(survey, response, sign));
    synchronized (arrived) {
      arrived.add(change);
    }
  }

  private static long number(JsonObject response) {
    return ResponseSequence.number(response.getString("seq"));
  }

  /** Adds increments (field to count) to a bucket's sums. */
  private static void addTo(Map<String, Map<String, Long>> sums, String bucket,
      Iterable<? extends Map.Entry<String, ?>> inc) {
    Map<String, Long> fields = sums.computeIfAbsent(bucket, k -> new HashMap<>());
    inc.forEach(e -> fields.merge(e.getKey(), ((Number) e.getValue()).longValue(), Long::sum));
  }

  /**
   * Writes what arrived, one {@code $inc} per bucket, into the generation in force. The state is read
   * after the changes are taken, so each was stored before that read: when no recount has begun, a
   * recount that begins later reads them (its scan starts after it begins), and their write into the
   * old generation is moot. While a recount runs they are held; once it is done, each is kept unless
   * its scan counted it (its number is in the scan's set). Writes that fail are kept for the next flush.
   */
  public Future<Void> flush() {
    List<Change> batch;
    synchronized (arrived) {
      batch = new ArrayList<>(arrived);
      arrived.clear();
    }
    return ledger.read().recover(error -> {
      synchronized (arrived) {
        arrived.addAll(0, batch);
      }
      return Future.failedFuture(error);
    }).compose(read -> {
      state = read;
      if (read.phase() != RecountLedger.Phase.DONE) {
        synchronized (arrived) {
          if (!read.run().equals(heldRun)) {
            // Held for an earlier run that never finished: stored before this run began, so its scan reads them.
            held.clear();
            storedHere.clear();
            heldRun = read.run();
          }
          held.addAll(batch);
        }
        return Future.<Void>succeededFuture();
      }
      return countedBy(read).compose(counted -> {
        synchronized (arrived) {
          if (unwrittenGen != read.gen()) {
            unwritten.clear();
            unwrittenGen = read.gen();
          }
          if (Objects.equals(heldRun, read.run())) {
            settle(held, read, counted);
          } else {
            // Held for an earlier run (or none): stored before this run began, so its scan counted them.
            storedHere.clear();
            heldRun = read.run();
          }
          held.clear();
          settle(batch, read, counted);
        }
        return write(read);
      });
    }).onFailure(error -> LOG.warn(
        "digest counts could not be written now ({}); they are kept and written at the next flush", error.getMessage()));
  }

  /** Adds to the unwritten sums the changes that the run's scan did not already count. Holds {@link #arrived}. */
  private void settle(List<Change> changes, RecountLedger.State read, Map<String, BitSet> counted) {
    for (Change change : changes) {
      BitSet bits = counted.get(change.surveyId());
      boolean scanned = change.number() >= 0 && bits != null && bits.get((int) Math.min(Integer.MAX_VALUE, change.number()));
      String key = change.surveyId() + "#" + change.number();
      boolean keep;
      if (change.kind() == Kind.STORED) {
        keep = !scanned;
        if (keep && read.run() != null && !read.afterScan(change.surveyId(), change.number())) {
          storedHere.add(key);
        }
      } else {
        // Taking out (or correcting) what is counted: counted by the scan, or stored since it began.
        keep = read.run() == null || scanned || read.afterScan(change.surveyId(), change.number())
            || storedHere.contains(key);
      }
      if (keep) {
        addTo(unwritten, change.bucket(), change.inc());
      }
    }
  }

  private Future<Map<String, BitSet>> countedBy(RecountLedger.State read) {
    if (read.run() == null) {
      return Future.succeededFuture(Map.of());
    }
    synchronized (countedByRun) {
      countedByRun.keySet().removeIf(run -> !run.equals(read.run()));
      Future<Map<String, BitSet>> loaded = countedByRun.computeIfAbsent(read.run(), run -> ledger.counted(read));
      return loaded.onFailure(error -> {
        synchronized (countedByRun) {
          countedByRun.remove(read.run(), loaded);
        }
      });
    }
  }

  private Future<Void> write(RecountLedger.State read) {
    Map<String, Map<String, Long>> batch;
    synchronized (arrived) {
      batch = new HashMap<>(unwritten);
      unwritten.clear();
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
      writes.add(increment(read, bucket.getKey(), inc).onFailure(error -> {
        synchronized (arrived) {
          if (unwrittenGen == read.gen()) {
            addTo(unwritten, bucket.getKey(), bucket.getValue().entrySet());
          }
        }
      }));
    }
    return Future.join(writes).mapEmpty();
  }

  private Future<Void> increment(RecountLedger.State generation, String bucket, JsonObject inc) {
    return mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", generation.id(bucket)),
        new JsonObject().put("$inc", inc).put("$setOnInsert", new JsonObject().put("g", generation.gen())),
        new UpdateOptions().setUpsert(true)).mapEmpty();
  }

  String bucketId(SurveyDefinition survey, JsonObject response) {
    return CountFields.bucketId(survey, response, zone);
  }

  /**
   * The buckets of a survey for the days from..to (both included), in the given areas (null: all);
   * refused while a recount runs or after one stopped (the counts would be partial).
   */
  public Future<List<JsonObject>> buckets(String surveyId, LocalDate from, LocalDate to, List<String> areas) {
    return flush().otherwiseEmpty().compose(v -> {
      RecountLedger.State read = state;
      if (read.phase() != RecountLedger.Phase.DONE) {
        return Future.failedFuture(new HeardException.Unavailable("recount-in-progress",
            "The digest counts are being rebuilt" + (read.phase() == RecountLedger.Phase.FAILED
                ? ", and the rebuild stopped: an administrator starts it again." : "; they show again once complete."),
            null));
      }
      return read(read, surveyId, from, to, areas);
    });
  }

  private Future<List<JsonObject>> read(RecountLedger.State generation, String surveyId, LocalDate from, LocalDate to,
      List<String> areas) {
    List<String> ids = new ArrayList<>();
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      for (String area : areas) {
        ids.add(generation.id(CountFields.id(surveyId, day, area)));
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
   * Recounts everything from the stored responses into a new generation (after a crash between a
   * store and its count, say), while every instance keeps taking responses; {@code progress} hears
   * how many were counted so far, every thousand. One at a time: an administrator's recount runs
   * as a background job, which refuses a second; the start-up recount (counts missing) runs before
   * the instance takes traffic, and is not guarded against another instance's at the same moment.
   */
  public Future<Long> recount(LongConsumer progress) {
    JsonObject fields = new JsonObject().put("surveyId", 1).put("channel", 1).put("receivedAt", 1).put("answers", 1)
        .put("seq", 1);
    // Responses written behind Heard's back have no number yet, and whole reads go by numbers.
    return responses.numberUnnumbered()
        .compose(n -> ledger.read())
        .compose(current -> responses.numberedSizes().compose(sizes -> ledger.begin(current, sizes)))
        .compose(counting -> {
          state = counting;
          return scan(counting, fields, progress)
              .compose(scanned -> writeScan(counting, scanned)
                  .compose(v -> ledger.finish(counting, scanned.counted()))
                  .compose(done -> {
                    state = done;
                    // Counts of other generations (the old one, and late writes into it) are never read again.
                    return mongo.removeDocuments(COLLECTION, new JsonObject().put("g",
                        new JsonObject().put("$ne", done.gen())));
                  })
                  .compose(removed -> flush().otherwiseEmpty())
                  .map(scanned.responses()))
              .onFailure(error -> ledger.fail(counting));
        });
  }

  /** What a recount's scan found: the responses counted, their numbers per survey, the sums per bucket. */
  private record Scanned(long responses, Map<String, BitSet> counted, Map<String, Map<String, Long>> sums) {
  }

  private Future<Scanned> scan(RecountLedger.State counting, JsonObject fields, LongConsumer progress) {
    Promise<Scanned> done = Promise.promise();
    Map<String, BitSet> counted = new HashMap<>();
    Map<String, Map<String, Long>> sums = new HashMap<>();
    long[] n = {0};
    responses.streamAll(fields, counting.sizes())
        .handler(response -> {
          SurveyDefinition survey = catalog.find(response.getString("surveyId")).orElse(null);
          long number = number(response);
          if (survey == null || number < 0 || number > Integer.MAX_VALUE) {
            return;
          }
          counted.computeIfAbsent(survey.id(), k -> new BitSet()).set((int) number);
          addTo(sums, bucketId(survey, response), CountFields.increments(survey, response, 1));
          if (++n[0] % 1000 == 0) {
            progress.accept(n[0]);
          }
        })
        .exceptionHandler(done::tryFail)
        .endHandler(end -> done.tryComplete(new Scanned(n[0], counted, sums)));
    return done.future();
  }

  /** The scan's sums, into the new generation (nobody else writes it while the run counts). */
  private Future<Void> writeScan(RecountLedger.State counting, Scanned scanned) {
    List<Future<Void>> writes = new ArrayList<>();
    scanned.sums().forEach((bucket, sums) -> writes.add(increment(counting, bucket, new JsonObject(new HashMap<>(sums)))));
    return Future.all(writes).mapEmpty();
  }

  /** Whether there are no counts at all (a first start on an existing database: recount). */
  public Future<Boolean> empty() {
    // One document is enough to tell; a count is an aggregation, which the embedded store answers by reading them all.
    return mongo.findOne(COLLECTION, new JsonObject(), new JsonObject().put("_id", 1)).map(found -> found == null);
  }
}
