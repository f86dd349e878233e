package org.heard.sms;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Twilio's Messages REST API, one request at a time: {@link OutboundQueue} decides what is sent,
 * when, how often it is retried and how fast. A failure that may have reached Twilio (a timeout, a
 * 5xx) is reported as such, so the queue asks {@link #findSent} before it ever sends again.
 */
public final class SmsSender {
  /** Twilio's error code for a recipient who texted STOP to the sending number. */
  static final int UNSUBSCRIBED_RECIPIENT = 21610;
  private static final long TIMEOUT_MS = 15_000;

  /** Where and as whom to send. {@code from} is a phone number or a Messaging Service SID (MG...). */
  public record Settings(URI apiBaseUrl, String accountSid, String authToken, String from, int perSecond) {
  }

  /** What one request came to. */
  public sealed interface Result permits Accepted, Retry, Refused {
  }

  /** Twilio took the message: its message id. */
  public record Accepted(String sid) implements Result {
  }

  /**
   * Not taken now: try again after {@code afterMillis} (Twilio's Retry-After, if it said). {@code
   * maybeSent} when Twilio might have taken it anyway (no answer, or a server error).
   */
  public record Retry(long afterMillis, boolean maybeSent, String reason) implements Result {
  }

  /** Refused for good (a 4xx): the HTTP status and Twilio's error code, never its message (it names the number). */
  public record Refused(int status, Integer code) implements Result {
    public String reason() {
      return code != null && code == UNSUBSCRIBED_RECIPIENT ? "opted-out-at-provider"
          : "refused: HTTP " + status + (code == null ? "" : ", Twilio error " + code);
    }
  }

  private final WebClient client;
  private final Settings settings;

  public SmsSender(WebClient client, Settings settings) {
    this.client = client;
    this.settings = settings;
  }

  public int perSecond() {
    return settings.perSecond();
  }

  /** Asks Twilio to send {@code text} to {@code phoneNumber}. Never fails: every outcome is a {@link Result}. */
  public Future<Result> post(String phoneNumber, String text) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("To", phoneNumber)
        .add(settings.from().startsWith("MG") ? "MessagingServiceSid" : "From", settings.from())
        .add("Body", text);
    return client.postAbs(messagesUrl())
        .authentication(credentials())
        .timeout(TIMEOUT_MS)
        .sendForm(form)
        .transform(result -> Future.succeededFuture(outcome(result)));
  }

  private static Result outcome(AsyncResult<HttpResponse<Buffer>> result) {
    if (result.failed()) {
      return new Retry(0, true, "no answer from the SMS provider: " + result.cause().getClass().getSimpleName());
    }
    HttpResponse<Buffer> response = result.result();
    int status = response.statusCode();
    if (status / 100 == 2) {
      JsonObject body = json(response);
      return new Accepted(body == null ? null : body.getString("sid"));
    }
    if (status == 429 || status >= 500) {
      String retryAfter = response.getHeader("Retry-After");
      long after = retryAfter != null && retryAfter.matches("\\d{1,5}") ? Long.parseLong(retryAfter) * 1000 : 0;
      return new Retry(after, status >= 500, "the SMS provider answered HTTP " + status);
    }
    JsonObject body = json(response);
    Object code = body == null ? null : body.getValue("code");
    return new Refused(status, code instanceof Number n ? n.intValue() : null);
  }

  /**
   * The id of a message with exactly this text that Twilio took for this number since {@code since}
   * (Twilio lists a message as soon as it takes it), if any. Fails when Twilio cannot be asked.
   */
  public Future<Optional<String>> findSent(String phoneNumber, String text, Instant since) {
    String day = LocalDate.ofInstant(since, ZoneOffset.UTC).toString();
    return client.getAbs(messagesUrl())
        .authentication(credentials())
        .timeout(TIMEOUT_MS)
        .addQueryParam("To", phoneNumber)
        .addQueryParam("DateSent>", day)
        .addQueryParam("PageSize", "100")
        .send()
        .compose(response -> {
          JsonObject body = response.statusCode() == 200 ? json(response) : null;
          if (body == null) {
            return Future.failedFuture(new IllegalStateException(
                "the SMS provider's message list answered HTTP " + response.statusCode()));
          }
          JsonArray messages = body.getJsonArray("messages", new JsonArray());
          for (Object item : messages) {
            if (item instanceof JsonObject message && text.equals(message.getString("body"))
                && !"inbound".equals(message.getString("direction"))) {
              return Future.succeededFuture(Optional.ofNullable(message.getString("sid")));
            }
          }
          return Future.succeededFuture(Optional.<String>empty());
        });
  }

  private String messagesUrl() {
    String path = settings.apiBaseUrl().getPath().replaceAll("/$", "")
        + "/2010-04-01/Accounts/" + settings.accountSid() + "/Messages.json";
    return settings.apiBaseUrl().resolve(path).toString();
  }

  private UsernamePasswordCredentials credentials() {
    return new UsernamePasswordCredentials(settings.accountSid(), settings.authToken());
  }

  private static JsonObject json(HttpResponse<Buffer> response) {
    try {
      return response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
