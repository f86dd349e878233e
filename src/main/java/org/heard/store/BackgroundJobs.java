package org.heard.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.heard.error.HeardException;

/**
 * Long jobs that run in the background rather than inside one request, and their progress, shared
 * through the database so every instance can report it: one document per job in
 * {@code background_jobs}, its latest run ({@code run}, {@code state} running/done/failed,
 * {@code done}, {@code total}, times, result or error). One run of a job at a time: starting one
 * while another runs is refused. The instance running it writes its progress at least every
 * {@link #HEARTBEAT} (the heartbeat); a run whose heartbeat is older than {@link #STALE} was
 * abandoned (its instance stopped or crashed) and reads as {@code stopped}, and may be started again.
 */
public final class BackgroundJobs {
  public static final String COLLECTION = "background_jobs";
  public static final Duration HEARTBEAT = Duration.ofSeconds(1);
  static final Duration STALE = Duration.ofSeconds(30);

  private final MongoClient mongo;
  private final Clock clock;

  public BackgroundJobs(MongoClient mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  /**
   * Starts a run of {@code job} ({@code total} items at most, or null when unknown); fails with a
   * Conflict while another run of it is going. Completes with the new run's id.
   */
  public Future<String> start(String job, String startedBy, Long total) {
    Instant now = clock.instant();
    String run = UUID.randomUUID().toString();
    JsonObject fresh = new JsonObject().put("run", run).put("state", "running").put("done", 0L).put("total", total)
        .put("startedAt", Documents.date(now)).put("heartbeatAt", Documents.date(now)).put("startedBy", startedBy)
        .putNull("finishedAt").putNull("result").putNull("error");
    JsonObject idle = new JsonObject().put("_id", job).put("$or", new JsonArray()
        .add(new JsonObject().put("state", new JsonObject().put("$ne", "running")))
        .add(new JsonObject().put("heartbeatAt", new JsonObject().put("$lt", Documents.date(now.minus(STALE))))));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, idle, new JsonObject().put("$set", fresh), new FindOptions(),
            new UpdateOptions())
        .compose(replaced -> replaced != null ? Future.succeededFuture(run)
            : mongo.insert(COLLECTION, fresh.copy().put("_id", job)).map(run)
                .recover(error -> StoreErrors.isDuplicateKey(error)
                    ? Future.failedFuture(new HeardException.Conflict("job-running", "This job is already running; "
                        + "follow it at /api/v1/jobs/" + job + " and start it again once it is done."))
                    : Future.failedFuture(error)));
  }

  /**
   * Runs {@code work} as run {@code run} of {@code job} (from {@link #start}): what it adds to the
   * counter it is given is written every {@link #HEARTBEAT}; at its end the run is done, with
   * {@code summary} of the result, or failed, with {@code failure}'s reason (never personal data).
   */
  public <T> Future<T> follow(Vertx vertx, String job, String run, Function<AtomicLong, Future<T>> work,
      Function<T, JsonObject> summary, String failure) {
    AtomicLong done = new AtomicLong();
    long heartbeat = vertx.setPeriodic(HEARTBEAT.toMillis(), id -> heartbeat(job, run, done.get()));
    Future<T> result;
    try {
      result = work.apply(done);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.andThen(ended -> {
      vertx.cancelTimer(heartbeat);
      if (ended.succeeded()) {
        finish(job, run, done.get(), summary.apply(ended.result()), null);
      } else {
        finish(job, run, done.get(), null, failure + " (" + ended.cause().getClass().getSimpleName() + ")");
      }
    });
  }

  /** Records how far run {@code run} of {@code job} got (and that it is alive). */
  public Future<Void> heartbeat(String job, String run, long done) {
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", job).put("run", run),
        new JsonObject().put("$set", new JsonObject().put("done", done)
            .put("heartbeatAt", Documents.date(clock.instant())))).mapEmpty();
  }

  /** Ends run {@code run}: done with {@code result}, or failed with {@code error} (a reason, never personal data). */
  public Future<Void> finish(String job, String run, long done, JsonObject result, String error) {
    JsonObject set = new JsonObject().put("state", error == null ? "done" : "failed").put("done", done)
        .put("finishedAt", Documents.date(clock.instant())).put("heartbeatAt", Documents.date(clock.instant()));
    if (error == null) {
      set.put("total", done).put("result", result);
    } else {
      set.put("error", error);
    }
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", job).put("run", run),
        new JsonObject().put("$set", set)).mapEmpty();
  }

  /**
   * The latest run of {@code job} as the progress API shows it, or null when it never ran: state
   * ({@code stopped} for a run abandoned by its instance), done, total, rate per second, seconds left.
   */
  public Future<JsonObject> progress(String job) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", job), null).map(found -> found == null ? null
        : view(found, clock.instant()));
  }

  /** The latest run of every job, newest first (one document per job: a small collection). */
  public Future<List<JsonObject>> list() {
    Instant now = clock.instant();
    return mongo.find(COLLECTION, new JsonObject()).map(all -> all.stream()
        .map(stored -> view(stored, now))
        .sorted(Comparator.comparing((JsonObject v) -> v.getString("startedAt")).reversed())
        .toList());
  }

  /** The progress of {@code job}'s run while one is going, else null. */
  public Future<JsonObject> running(String job) {
    return progress(job).map(view -> view != null && "running".equals(view.getString("state")) ? view : null);
  }

  static JsonObject view(JsonObject stored, Instant now) {
    Instant started = Documents.instant(stored.getJsonObject("startedAt"));
    Instant heartbeat = Documents.instant(stored.getJsonObject("heartbeatAt"));
    JsonObject finishedAt = stored.getJsonObject("finishedAt");
    Instant finished = finishedAt == null ? null : Documents.instant(finishedAt);
    String state = stored.getString("state");
    if ("running".equals(state) && heartbeat.isBefore(now.minus(STALE))) {
      state = "stopped";
    }
    long done = stored.getLong("done", 0L);
    Long total = stored.getLong("total");
    double seconds = Math.max(0.001, Duration.between(started, finished == null ? now : finished).toMillis() / 1000.0);
    double rate = done / seconds;
    Long secondsLeft = "running".equals(state) && total != null && rate > 0
        ? Math.max(0, Math.round((total - done) / rate)) : null;
    return new JsonObject().put("job", stored.getString("_id")).put("run", stored.getString("run")).put("state", state)
        .put("done", done).put("total", total).put("ratePerSecond", Math.round(rate * 10) / 10.0)
        .put("secondsLeft", secondsLeft).put("startedAt", started.toString())
        .put("finishedAt", finished == null ? null : finished.toString()).put("startedBy", stored.getString("startedBy"))
        .put("result", stored.getJsonObject("result")).put("error", stored.getString("error"));
  }
}
