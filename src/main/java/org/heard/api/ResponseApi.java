package org.heard.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.heard.error.ClientText;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.Json;
import org.heard.http.MediaTypes;
import org.heard.response.Channel;
import org.heard.response.ResponseService;
import org.heard.response.Submission;

/**
 * {@code POST /api/v1/surveys/{id}/responses}: reads the JSON body and the Idempotency-Key
 * header into a {@link Submission}, and answers 201 (stored) or 200 (already stored).
 */
public final class ResponseApi {
  /** Largest accepted body: far above any real survey (a 10,000-character answer is ~40 KB of UTF-8). */
  public static final int MAX_BODY_BYTES = 64 * 1024;
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final Set<String> BODY_FIELDS = Set.of("answers", "language");

  private final ResponseService responses;

  public ResponseApi(ResponseService responses) {
    this.responses = responses;
  }

  /** Refuses anything but JSON before reading the body. */
  public static void requireJson(RoutingContext ctx) {
    if (MediaTypes.require(ctx, "application/json", "the response")) {
      ctx.next();
    }
  }

  public void submit(RoutingContext ctx) {
    String key = idempotencyKey(ctx);
    JsonObject body = jsonObject(ctx.body().buffer());
    Submission submission = new Submission(ctx.pathParam("surveyId"), Channel.API, key, language(body),
        answers(body), Map.of("idempotencyKey", key));
    responses.submit(submission)
        .onSuccess(result -> Json.send(ctx, switch (result.stored()) {
              case CREATED -> 201;
              case ALREADY_STORED -> 200;
              case QUEUED -> 202;
            }, new JsonObject()
            .put("id", result.responseId())
            .put("survey", submission.surveyId())
            .put("stored", result.stored().key())))
        .onFailure(ctx::fail);
  }

  private static String idempotencyKey(RoutingContext ctx) {
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (key == null || key.isBlank()) {
      throw new HeardException.BadRequest("missing-idempotency-key",
          "Send an Idempotency-Key header (a unique value per response, e.g. a UUID) so a retry is never stored twice.",
          List.of(new FieldError("header:" + IDEMPOTENCY_KEY, "required", "is required")));
    }
    if (key.length() > 200 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      throw new HeardException.BadRequest("invalid-idempotency-key",
          "The Idempotency-Key header must be 1-200 visible ASCII characters without spaces.",
          List.of(new FieldError("header:" + IDEMPOTENCY_KEY, "invalid", "must be 1-200 visible ASCII characters")));
    }
    return key;
  }

  private static JsonObject jsonObject(Buffer buffer) {
    if (buffer == null || buffer.length() == 0) {
      throw new HeardException.BadRequest("empty-body", "The request body is empty; send a JSON object.");
    }
    Object parsed = Json.decodeStrict(buffer);
    if (!(parsed instanceof JsonObject object)) {
      throw new HeardException.BadRequest("body-not-an-object",
          "The request body must be a JSON object like {\"answers\": {...}, \"language\": \"en\"}.");
    }
    List<FieldError> errors = new ArrayList<>();
    object.fieldNames().stream().filter(f -> !BODY_FIELDS.contains(f)).sorted().forEach(f ->
        errors.add(new FieldError(ClientText.shorten(f), "unknown_field", "is not a field of a response (answers, language)")));
    Object answers = object.getValue("answers");
    if (answers == null) {
      errors.add(new FieldError("answers", "required", "is required: an object of answers by question id"));
    } else if (!(answers instanceof JsonObject)) {
      errors.add(new FieldError("answers", "wrong_type", "must be an object of answers by question id"));
    }
    Object language = object.getValue("language");
    if (language != null && !(language instanceof String)) {
      errors.add(new FieldError("language", "wrong_type", "must be a language code, as text"));
    }
    if (!errors.isEmpty()) {
      throw new HeardException.Invalid("invalid-request", "The request body does not have the expected fields.", errors);
    }
    return object;
  }

  private static String language(JsonObject body) {
    return body.getString("language");
  }

  /** Answers as plain Java values (lists for arrays, maps for objects) for the validator. */
  private static Map<String, Object> answers(JsonObject body) {
    Map<String, Object> answers = new LinkedHashMap<>();
    body.getJsonObject("answers").forEach(entry -> answers.put(entry.getKey(), plain(entry.getValue())));
    return answers;
  }

  private static Object plain(Object value) {
    if (value instanceof JsonArray array) {
      List<Object> list = new ArrayList<>();
      array.forEach(item -> list.add(plain(item)));
      return list;
    }
    if (value instanceof JsonObject object) {
      return object.getMap();
    }
    return value;
  }
}
