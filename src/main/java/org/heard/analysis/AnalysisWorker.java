package org.heard.analysis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.heard.response.ResponseEvents;
import org.heard.response.ResponseStore;
import org.heard.store.Documents;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analyses stored responses' free-text answers (questions marked {@code themes: true}) off the
 * request path: claims entries from the {@link AnalysisQueue}, runs the language work on a pool of
 * worker threads, stores the annotations on the response under {@code analysis}, and tells the
 * theme service. Newly stored responses are queued as they arrive; at start-up, responses stored
 * but never analysed (say, the process died between the two writes) are queued again.
 */
public final class AnalysisWorker {
  private static final Logger LOG = LoggerFactory.getLogger(AnalysisWorker.class);
  /** Analysis threads: all cores but one, so requests keep a core however long the queue (a queue can wait; people cannot). */
  private static final int CONCURRENCY = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);

  private final Vertx vertx;
  private final ResponseStore responses;
  private final ResponseEvents events;
  private final SurveyCatalog catalog;
  private final AnalysisQueue queue;
  private final Clock clock;
  private final String owner = "worker-" + UUID.randomUUID();
  private final WorkerExecutor executor;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile Analysers analysers;
  /** Claims in flight; poll() is called from several event loops (timer, stores), hence atomic. */
  private final AtomicInteger running = new AtomicInteger();
  private long timer = -1;
  private long batchTimer = -1;
  /** How often newly stored responses are queued, in one bulk insert. */
  private static final long BATCH_MS = 200;
  private Future<Analysers> loading = Future.succeededFuture();
  /** Why the models could not be loaded, once that happened; analysis is then down until a restart. */
  private volatile String loadFailure;

  /** Whether text analysis works: {@code loading} its models, {@code up}, or {@code down} (with why). */
  public record Status(String state, String detail) {
  }

  public AnalysisWorker(Vertx vertx, ResponseStore responses, ResponseEvents events, SurveyCatalog catalog,
      AnalysisQueue queue, Clock clock) {
    this.vertx = vertx;
    this.responses = responses;
    this.events = events;
    this.catalog = catalog;
    this.queue = queue;
    this.clock = clock;
    this.executor = vertx.createSharedWorkerExecutor("heard-nlp", CONCURRENCY);
  }

  public Status status() {
    if (loadFailure != null) {
      return new Status("down", "The text analysis models could not be loaded (" + loadFailure
          + "); responses are stored and queue for analysis until Heard is restarted with them.");
    }
    return new Status(analysers != null ? "up" : "loading", null);
  }

  /** Whether a stored response has anything to analyse. */
  public boolean wantsAnalysis(JsonObject response) {
    return catalog.find(response.getString("surveyId"))
        .map(survey -> !texts(survey, response.getJsonObject("answers", new JsonObject())).isEmpty())
        .orElse(false);
  }

  /** Queues a newly stored response (called for every insert). */
  public void stored(JsonObject response) {
    noteArrival();
    enqueue(response, false);
  }

  /**
   * Responses arriving faster than this per second is a burst: analysis then takes one comment per
   * poll instead of running flat out, so people's requests keep the cores (the queue can wait,
   * residents cannot), and catches up when the burst is over.
   */
  static final int BURST_PER_SECOND = 20;
  /** Arrivals in the current whole second and the one before (guarded by this lock). */
  private final Object arrivalsLock = new Object();
  private long arrivalsSecond;
  private int arrivalsNow;
  private int arrivalsBefore;

  private void noteArrival() {
    synchronized (arrivalsLock) {
      rollTo(System.nanoTime() / 1_000_000_000L);
      arrivalsNow++;
    }
  }

  /** Whether responses are arriving in a burst (this second or the last one). */
  boolean inBurst() {
    synchronized (arrivalsLock) {
      rollTo(System.nanoTime() / 1_000_000_000L);
      return arrivalsNow > BURST_PER_SECOND || arrivalsBefore > BURST_PER_SECOND;
    }
  }

  private void rollTo(long second) {
    if (second != arrivalsSecond) {
      arrivalsBefore = second == arrivalsSecond + 1 ? arrivalsNow : 0;
      arrivalsNow = 0;
      arrivalsSecond = second;
    }
  }

  /** Queues a response whose text was corrected: it is analysed again even though it has an analysis. */
  public void corrected(JsonObject response) {
    enqueue(response, true);
  }

  private void enqueue(JsonObject response, boolean again) {
    if (!wantsAnalysis(response)) {
      return;
    }
    if (!again) {
      queue.enqueueSoon(response.getString("_id"), response.getString("surveyId"), snapshot(response));
      return;
    }
    queue.enqueue(response.getString("_id"), response.getString("surveyId"), true)
        .onSuccess(v -> poll())
        .onFailure(error -> LOG.warn("a corrected response could not be queued for analysis now ({}); "
            + "it keeps its earlier analysis", error.getMessage()));
  }

  /** Loads the models on a worker, queues what was missed, and starts polling. */
  public Future<Void> start(long pollMs) {
    loading = executor.<Analysers>executeBlocking(() -> new Analysers(languages()), false)
        .onFailure(error -> loadFailure = error.getClass().getSimpleName() + ": " + error.getMessage());
    return loading
        .compose(loaded -> {
          analysers = loaded;
          timer = vertx.setPeriodic(pollMs, id -> poll());
          batchTimer = vertx.setPeriodic(BATCH_MS, id -> queue.flush().onSuccess(n -> {
            if (n > 0) {
              poll();
            }
          }));
          return requeueMissed();
        })
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("queued {} stored response(s) that had not been analysed", n);
          }
          poll();
        })
        .onFailure(error -> {
          // A server stopped while its models were still loading closed the database under it: no fault.
          if (stopped.get()) {
            LOG.info("text analysis did not start: the server stopped while it was loading");
          } else {
            LOG.error("text analysis could not start: {}", error.toString());
          }
        })
        .mapEmpty();
  }

  private Set<String> languages() {
    Set<String> languages = new TreeSet<>();
    catalog.all().forEach(survey -> languages.addAll(survey.languages()));
    languages.add("en");
    return languages;
  }

  /**
   * Stops claiming, lets the analyses in flight finish (up to 10 s), hands back this worker's
   * leases so another instance (or this one, restarted) takes them at once, then closes the pool.
   * Call it before the database connection closes.
   */
  public Future<Void> stop() {
    stopped.set(true);
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (batchTimer >= 0) {
      vertx.cancelTimer(batchTimer);
    }
    return idle(200).compose(v -> queue.flush().<Void>mapEmpty().otherwiseEmpty())
        .compose(v -> queue.release(owner).otherwiseEmpty())
        // Let a model load still running finish first, so no task outlives the worker pool.
        .compose(v -> loading.<Void>mapEmpty().otherwiseEmpty())
        .compose(v -> executor.close())
        .onComplete(done -> {
          if (analysers != null) {
            analysers.close();
            analysers = null;
          }
          loading = Future.succeededFuture();
        });
  }

  /** Completes when no analysis is in flight, or after {@code checks} × 50 ms. */
  private Future<Void> idle(int checks) {
    if (running.get() == 0 || checks == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> later = Promise.promise();
    vertx.setTimer(50, id -> idle(checks - 1).onComplete(later));
    return later.future();
  }

  /**
   * Responses with free text to analyse and no analysis (nor queue entry): queue them. So are those
   * analysed by an older {@link CommentAnalysis#VERSION} (redaction improved, say): analysed again,
   * so no term, key phrase or theme label keeps what the new rules remove.
   */
  private Future<Integer> requeueMissed() {
    Promise<Integer> done = Promise.promise();
    List<String[]> missing = new ArrayList<>();
    List<String[]> stale = new ArrayList<>();
    ReadStream<JsonObject> stream = responses.streamNeedingAnalysis(CommentAnalysis.VERSION);
    stream.handler(response -> {
      if (wantsAnalysis(response)) {
        (response.containsKey("analysedAt") ? stale : missing)
            .add(new String[] {response.getString("_id"), response.getString("surveyId")});
      }
    }).exceptionHandler(done::tryFail).endHandler(v -> queue.enqueueAll(missing, false)
        .compose(n -> queue.enqueueAll(stale, true).map(m -> n + m)).onComplete(done));
    return done.future();
  }

  /** Claims and analyses entries until the queue has nothing due, up to CONCURRENCY at a time (one during a burst). */
  void poll() {
    if (analysers == null || stopped.get()) {
      return;
    }
    while (true) {
      int now = running.get();
      if (now >= (inBurst() ? 1 : CONCURRENCY)) {
        return;
      }
      if (!running.compareAndSet(now, now + 1)) {
        continue;
      }
      queue.claim(owner).onComplete(claimed -> {
        if (claimed.failed() || claimed.result() == null) {
          running.decrementAndGet();
          return;
        }
        process(claimed.result()).onComplete(v -> {
          running.decrementAndGet();
          if (inBurst()) {
            // During a burst, the next comment waits for the next poll (once a second).
            return;
          }
          poll();
        });
      });
    }
  }

  /** What an analysis needs of a response: its theme texts, language, time, channel, area and monitoring answers. */
  private JsonObject snapshot(JsonObject response) {
    SurveyDefinition survey = catalog.find(response.getString("surveyId")).orElseThrow();
    JsonObject answers = response.getJsonObject("answers", new JsonObject());
    JsonObject kept = new JsonObject();
    for (Question question : survey.questions()) {
      boolean needed = question.themes() || question.monitoring()
          || question.type() == QuestionType.AREA;
      if (needed && answers.getValue(question.id()) != null) {
        kept.put(question.id(), answers.getValue(question.id()));
      }
    }
    return new JsonObject().put("_id", response.getString("_id")).put("surveyId", survey.id())
        .put("receivedAt", response.getValue("receivedAt")).put("channel", response.getString("channel"))
        .put("language", response.getString("language")).put("answers", kept);
  }

  /** A batch: each response in turn; one that fails is queued on its own for retries; then the batch is done. */
  private Future<Void> process(AnalysisQueue.Entry entry) {
    if (!entry.batch()) {
      return processOne(entry, false);
    }
    Future<Void> chain = Future.succeededFuture();
    for (AnalysisQueue.Entry item : AnalysisQueue.items(entry)) {
      chain = chain.compose(v -> pauseInBurst())
          .compose(v -> stopped.get() ? Future.failedFuture("stopping") : processOne(item, true));
    }
    return chain.transform(done -> {
      if (done.succeeded()) {
        queue.doneSoon(entry);
      }
      // Stopping mid-batch: the batch keeps its lease and is handed back; analysed items are skipped next time.
      return Future.succeededFuture();
    });
  }

  /**
   * During a burst of arrivals, a batch yields the cores to requests between comments: after each it
   * waits long enough that analysis uses at most {@link #BURST_SHARE} of one core, however costly the
   * comment was (a long one takes several times a short one's CPU).
   */
  private Future<Void> pauseInBurst() {
    if (!inBurst()) {
      return Future.succeededFuture();
    }
    long pauseMs = Math.max(MIN_BURST_PAUSE_MS, (long) (lastCpuNanos / 1e6 * (1 / BURST_SHARE - 1)));
    Promise<Void> later = Promise.promise();
    vertx.setTimer(pauseMs, id -> later.complete());
    return later.future();
  }

  /** The share of one core analysis may use while people are sending responses. */
  static final double BURST_SHARE = 0.2;
  private static final long MIN_BURST_PAUSE_MS = 20;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** The CPU time (on its worker thread, the embedding's native work included) the last comment took. */
  private volatile long lastCpuNanos;

  private Future<Void> processOne(AnalysisQueue.Entry entry, boolean inBatch) {
    Future<JsonObject> source = entry.response() != null && !entry.again() ? Future.succeededFuture(entry.response())
        : responses.findDocument(entry.responseId());
    return source
        .compose(response -> {
          if (response == null) {
            return Future.failedFuture(new IllegalStateException("the response is not (yet) in the database"));
          }
          if (response.containsKey("analysedAt") && !entry.again()) {
            // Queued twice (say, by a start-up sweep racing another instance): already done.
            return Future.succeededFuture(null);
          }
          SurveyDefinition survey = catalog.find(response.getString("surveyId")).orElse(null);
          if (survey == null) {
            return Future.failedFuture(new IllegalStateException("the response's survey is no longer defined"));
          }
          List<String[]> texts = texts(survey, response.getJsonObject("answers", new JsonObject()));
          String formLanguage = response.getString("language");
          return executor.<JsonObject>executeBlocking(() -> {
            long cpuBefore = THREADS.getCurrentThreadCpuTime();
            JsonObject analysis = new JsonObject();
            for (String[] text : texts) {
              analysis.put(text[0], analysers.analyse(text[1], formLanguage).toDocument());
            }
            lastCpuNanos = THREADS.getCurrentThreadCpuTime() - cpuBefore;
            return analysis;
          }, false).compose(analysis -> {
            JsonObject set = new JsonObject().put("analysis", analysis).put("analysedAt", Documents.date(clock.instant()))
                .put("analysisVersion", CommentAnalysis.VERSION);
            return responses.storeAnalysis(entry.responseId(), set, entry.again())
                .map(written -> written ? response.copy().mergeIn(set) : null);
          });
        })
        .map(analysed -> {
          queue.doneSoon(entry);
          if (analysed != null) {
            events.analysed(analysed);
          }
          return (Void) null;
        })
        .recover(error -> {
          LOG.warn("analysis of a response failed (attempt {} of {}): {}", entry.attempts(),
              AnalysisQueue.MAX_ATTEMPTS, error.getMessage());
          return inBatch ? queue.retryAlone(entry, String.valueOf(error.getMessage()))
              : queue.failed(entry, owner, String.valueOf(error.getMessage()));
        });
  }

  /** The (question id, text) pairs of a response's non-blank answers to theme questions. */
  static List<String[]> texts(SurveyDefinition survey, JsonObject answers) {
    List<String[]> texts = new ArrayList<>();
    for (Question question : survey.questions()) {
      Object value = answers.getValue(question.id());
      if (question.themes() && value instanceof String text && !text.isBlank()) {
        texts.add(new String[] {question.id(), text});
      }
    }
    return texts;
  }
}
