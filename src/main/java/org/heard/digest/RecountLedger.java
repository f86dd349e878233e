package org.heard.digest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Which generation of the digest counts is in force, shared by every instance through
 * {@code digest_recounts}: {@code {_id: "state", gen, run, phase, sizes}}, and for each recount run
 * the response numbers its scan counted, per survey ({@code {_id: "<run>|<survey>", bits}}, a bit
 * set in Base64). A recount starts the next generation; instances that see it hold their own
 * changes until it is done, then keep only those its scan did not count ({@link DigestCounts}).
 */
final class RecountLedger {
  static final String COLLECTION = "digest_recounts";
  private static final String STATE = "state";

  enum Phase { COUNTING, DONE, FAILED }

  /**
   * The counts in force: generation {@code gen} (0 before any recount), built by recount {@code run}
   * (null for none), whose scan read the numbers below {@code sizes} of each survey.
   */
  record State(long gen, String run, Phase phase, Map<String, Long> sizes) {
    static final State FIRST = new State(0, null, Phase.DONE, Map.of());

    /** The counts' document id for a bucket in this generation (generation 0 keeps the bare bucket id). */
    String id(String bucket) {
      return gen == 0 ? bucket : gen + ":" + bucket;
    }

    /** Whether a number of a survey is above what this run's scan read (so it was stored after the scan began). */
    boolean afterScan(String surveyId, long number) {
      return run != null && number >= sizes.getOrDefault(surveyId, 0L);
    }
  }

  private final MongoClient mongo;

  RecountLedger(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<State> read() {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", STATE), null)
        .map(found -> found == null ? State.FIRST : state(found));
  }

  /** Starts the next generation: every instance holds its changes from when it reads this. */
  Future<State> begin(State current, Map<String, Long> sizes) {
    State next = new State(current.gen() + 1, UUID.randomUUID().toString(), Phase.COUNTING, Map.copyOf(sizes));
    return write(next).map(next);
  }

  /** The run's scan is written: its counted numbers first, then the state that lets instances settle. */
  Future<State> finish(State counting, Map<String, BitSet> counted) {
    List<Future<?>> writes = new ArrayList<>();
    counted.forEach((survey, bits) -> writes.add(mongo.save(COLLECTION, new JsonObject()
        .put("_id", counting.run() + "|" + survey)
        .put("bits", Base64.getEncoder().encodeToString(bits.toByteArray())))));
    State done = new State(counting.gen(), counting.run(), Phase.DONE, counting.sizes());
    return Future.all(writes).compose(v -> write(done)).map(done)
        .compose(state -> removeOtherRuns(state.run()).map(state));
  }

  Future<Void> fail(State counting) {
    return write(new State(counting.gen(), counting.run(), Phase.FAILED, counting.sizes()));
  }

  /** The numbers run {@code state.run()} counted, per survey (none before any recount). */
  Future<Map<String, BitSet>> counted(State state) {
    if (state.run() == null || state.sizes().isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    JsonArray ids = new JsonArray();
    state.sizes().keySet().forEach(survey -> ids.add(state.run() + "|" + survey));
    return mongo.find(COLLECTION, new JsonObject().put("_id", new JsonObject().put("$in", ids))).map(found -> {
      Map<String, BitSet> bySurvey = new HashMap<>();
      for (JsonObject doc : found) {
        String id = doc.getString("_id");
        bySurvey.put(id.substring(id.indexOf('|') + 1), BitSet.valueOf(Base64.getDecoder().decode(doc.getString("bits"))));
      }
      return bySurvey;
    });
  }

  private Future<Void> write(State state) {
    JsonObject sizes = new JsonObject();
    state.sizes().forEach(sizes::put);
    return mongo.replaceDocumentsWithOptions(COLLECTION, new JsonObject().put("_id", STATE), new JsonObject()
            .put("_id", STATE).put("gen", state.gen()).put("run", state.run()).put("phase", state.phase().name())
            .put("sizes", sizes), new UpdateOptions().setUpsert(true))
        .mapEmpty();
  }

  private Future<Void> removeOtherRuns(String run) {
    // A few documents per recount: the scan of this small collection is cheap.
    return mongo.find(COLLECTION, new JsonObject()).compose(all -> {
      JsonArray old = new JsonArray();
      all.stream().map(doc -> doc.getString("_id"))
          .filter(id -> !id.equals(STATE) && !id.startsWith(run + "|")).forEach(old::add);
      return old.isEmpty() ? Future.succeededFuture()
          : mongo.removeDocuments(COLLECTION, new JsonObject().put("_id", new JsonObject().put("$in", old))).mapEmpty();
    });
  }

  private static State state(JsonObject doc) {
    Map<String, Long> sizes = new HashMap<>();
    doc.getJsonObject("sizes", new JsonObject()).forEach(e -> sizes.put(e.getKey(), ((Number) e.getValue()).longValue()));
    return new State(doc.getLong("gen", 0L), doc.getString("run"), Phase.valueOf(doc.getString("phase")), sizes);
  }
}
