package org.heard.response;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.heard.error.ClientText;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.metrics.HeardMetrics;
import org.heard.spool.Backlog;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;

/**
 * Turns a submission from any channel into one stored {@link Response}: checks the survey exists
 * and is open, validates the answers against its definition, and stores it exactly once.
 */
public final class ResponseService {
  private final SurveyCatalog catalog;
  private final ResponseStore store;
  private final Backlog backlog;
  private final HeardMetrics metrics;
  /** Spool records of this kind are responses in their stored form. */
  public static final String SPOOL_KIND = "response";
  private final AnswerValidator validator;
  private final Clock clock;
  /** Keys stored in this window are checked for reuse during an outage too. */
  public static final Duration KEY_MEMORY = Duration.ofDays(7);
  private static final int KEY_MEMORY_CAPACITY = 500_000;
  private final RecentKeys recentKeys = new RecentKeys(KEY_MEMORY_CAPACITY);
  private Instant keysReadUpTo;

  public ResponseService(SurveyCatalog catalog, ResponseStore store, Backlog backlog, HeardMetrics metrics,
      Clock clock) {
    this.metrics = metrics;
    this.catalog = catalog;
    this.store = store;
    this.backlog = backlog;
    backlog.register(SPOOL_KIND, record -> store.insertOnce(withoutSpoolId(record))
        .onSuccess(created -> recentKeys.remember(record.getString("_id"), record.getString("contentHash")))
        .<Void>mapEmpty());
    this.validator = new AnswerValidator(catalog.partnership());
    this.clock = clock;
  }

  public Future<SubmissionResult> submit(Submission submission) {
    Response response;
    try {
      response = prepare(submission);
    } catch (HeardException e) {
      return Future.failedFuture(e);
    }
    String contentHash = contentHash(response);
    JsonObject waiting = backlog.spool().waitingWithId(response.id());
    if (waiting != null && !contentHash.equals(waiting.getString("contentHash"))) {
      // Still in the spool (say, the database is away): the key is taken as surely as if it were stored.
      return Future.failedFuture(ResponseStore.keyReused());
    }
    if (recentKeys.reusedWithOtherContent(response.id(), contentHash)) {
      // Stored lately with other answers: refused without asking the database, which may be away.
      return Future.failedFuture(ResponseStore.keyReused());
    }
    JsonObject document = ResponseStore.toDocument(response).put("contentHash", contentHash);
    // The spool record carries the id under "id" too, so an erasure can find it.
    return backlog.keep(SPOOL_KIND, document.copy().put("id", response.id()), () -> store.insertOnce(document),
            ResponseService::unavailable)
        .map(kept -> {
          if (kept.queued()) {
            return new SubmissionResult(response.id(), SubmissionResult.Stored.QUEUED);
          }
          recentKeys.remember(response.id(), contentHash);
          return new SubmissionResult(response.id(),
              kept.written() ? SubmissionResult.Stored.CREATED : SubmissionResult.Stored.ALREADY_STORED);
        })
        .onSuccess(result -> {
          if (result.stored() != SubmissionResult.Stored.ALREADY_STORED) {
            metrics.responseStored(response.channel().key(), result.stored().key());
          }
        });
  }

  /**
   * Reads the ids and content hashes of responses stored since the last read (at start-up: in the
   * last {@link #KEY_MEMORY}), this instance's and every other's, so a key reused during an outage
   * is recognised. Completes with how many were read.
   */
  public Future<Integer> readRecentKeys() {
    Instant now = clock.instant();
    // Overlap the last read by a minute: instances' clocks and commit times differ a little.
    Instant since = keysReadUpTo == null ? now.minus(KEY_MEMORY) : keysReadUpTo.minus(Duration.ofMinutes(1));
    List<Future<List<JsonObject>>> reads = catalog.all().stream()
        .map(survey -> store.keysSince(survey.id(), since, KEY_MEMORY_CAPACITY)).toList();
    return Future.all(reads).map(done -> {
      int read = 0;
      for (Future<List<JsonObject>> found : reads) {
        for (JsonObject key : found.result()) {
          recentKeys.remember(key.getString("_id"), key.getString("contentHash"));
          read++;
        }
      }
      keysReadUpTo = now;
      return read;
    });
  }

  /** An erased response's key may be used again. */
  public void forgetKey(String id) {
    recentKeys.forget(id);
  }

  private static JsonObject withoutSpoolId(JsonObject record) {
    JsonObject document = record.copy();
    document.remove("id");
    return document;
  }

  private static HeardException unavailable(Throwable cause) {
    return new HeardException.Unavailable("store-unavailable",
        "Responses cannot be stored right now (neither the database nor the local spool can keep them for sure). "
            + "Nothing was stored; please try again shortly.", cause);
  }

  /** Validates a submission into the response that would be stored, or throws what is wrong. */
  Response prepare(Submission submission) {
    SurveyDefinition survey = catalog.find(submission.surveyId())
        .orElseThrow(() -> new HeardException.NotFound("unknown-survey",
            "There is no survey with id '" + ClientText.shorten(submission.surveyId()) + "'."));
    Instant startedAt = submission.startedAt() == null ? Instant.now(clock) : submission.startedAt();
    if (!survey.isOpenAt(startedAt.atZone(catalog.partnership().timezone()))) {
      throw new HeardException.Conflict("survey-not-open",
          "Survey '" + survey.id() + "' is not taking responses now" + openingText(survey) + ".");
    }
    List<FieldError> errors = new ArrayList<>();
    if (submission.language() != null && !survey.languages().contains(submission.language())) {
      errors.add(new FieldError("language", "not_an_option",
          "'" + ClientText.shorten(submission.language()) + "' is not a language of this survey " + survey.languages()));
    }
    AnswerValidator.Result result = validator.validate(survey, submission.answers());
    // The answers so far of an unfinished conversation may lack required ones, and nothing else.
    result.errors().stream()
        .filter(error -> submission.complete() || !AnswerValidator.REQUIRED.equals(error.code()))
        .forEach(errors::add);
    if (!errors.isEmpty()) {
      throw new HeardException.Invalid("invalid-answers",
          errors.size() == 1 ? "One answer needs correcting." : errors.size() + " answers need correcting.", errors);
    }
    return new Response(
        responseId(submission.channel(), survey.id(), submission.idempotencyKey()),
        survey.id(),
        survey.version(),
        submission.channel(),
        Instant.now(clock),
        survey.languageOrDefault(submission.language()),
        result.answers(),
        submission.provenance(),
        submission.complete());
  }

  /**
   * The response id for a channel's idempotency key: the same key always names the same response,
   * and the key itself cannot be read back from the id.
   */
  public static String responseIdFor(Channel channel, String surveyId, String idempotencyKey) {
    return responseId(channel, surveyId, idempotencyKey);
  }

  static String responseId(Channel channel, String surveyId, String idempotencyKey) {
    byte[] digest = sha256(channel.key() + "\n" + surveyId + "\n" + idempotencyKey);
    return HexFormat.of().formatHex(digest, 0, 16);
  }

  private static String contentHash(Response response) {
    // Sorted keys: the hash of the same answers must be the same in every process, forever.
    Map<String, Object> content = new TreeMap<>();
    content.put("language", response.language());
    content.put("answers", new TreeMap<>(response.answers()));
    return HexFormat.of().formatHex(sha256(new JsonObject(content).encode()));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static String openingText(SurveyDefinition survey) {
    if (survey.opens() != null && survey.closes() != null) {
      return " (it is open from " + survey.opens() + " to " + survey.closes() + ")";
    }
    if (survey.opens() != null) {
      return " (it opens on " + survey.opens() + ")";
    }
    return survey.closes() != null ? " (it closed on " + survey.closes() + ")" : "";
  }
}
