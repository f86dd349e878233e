package org.heard.sms;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.List;
import org.heard.error.HeardException;
import org.heard.privacy.Pseudonyms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends follow-up texts through Twilio's Messages REST API. Never to an opted-out number (checked
 * again just before each attempt, after any wait); at most {@code perSecond} messages a second
 * from this process; a 429 or 5xx answer is retried with back-off (honouring Retry-After).
 */
public final class SmsSender {
  private static final Logger LOG = LoggerFactory.getLogger(SmsSender.class);
  static final int MAX_ATTEMPTS = 4;
  private static final long MAX_BACKOFF_MS = 30_000;

  /** Where and as whom to send. {@code from} is a phone number or a Messaging Service SID (MG...). */
  public record Settings(URI apiBaseUrl, String accountSid, String authToken, String from, int perSecond,
      long firstBackoffMs) {
  }

  private final Vertx vertx;
  private final WebClient client;
  private final Settings settings;
  private final NumberStore numbers;
  private final Pseudonyms pseudonyms;
  private long nextSlotMillis;

  public SmsSender(Vertx vertx, WebClient client, Settings settings, NumberStore numbers, Pseudonyms pseudonyms) {
    this.vertx = vertx;
    this.client = client;
    this.settings = settings;
    this.numbers = numbers;
    this.pseudonyms = pseudonyms;
  }

  /** Sends {@code text} to {@code phoneNumber}; succeeds with the provider's message id. */
  public Future<String> send(String phoneNumber, String text) {
    String key = pseudonyms.respondentKey(phoneNumber);
    return slot().compose(v -> attempt(key, phoneNumber, text, 1));
  }

  /** Sends to the number a respondent agreed to be contacted on. */
  public Future<String> sendToRespondent(String respondentKey, String text) {
    return numbers.load(respondentKey).compose(state -> {
      if (state.contact() == null) {
        return Future.failedFuture(new HeardException.NotFound("no-contact",
            "This respondent did not agree to be contacted, so there is no number to text."));
      }
      return send(pseudonyms.decryptContact(state.contact()), text);
    });
  }

  private Future<String> attempt(String key, String phoneNumber, String text, int attempt) {
    return numbers.load(key).compose(state -> {
      if (state.optedOut()) {
        return Future.failedFuture(new HeardException.Forbidden("opted-out",
            "This number has opted out of messages (STOP); nothing was sent."));
      }
      MultiMap form = MultiMap.caseInsensitiveMultiMap()
          .add("To", phoneNumber)
          .add(settings.from().startsWith("MG") ? "MessagingServiceSid" : "From", settings.from())
          .add("Body", text);
      String path = settings.apiBaseUrl().getPath().replaceAll("/$", "")
          + "/2010-04-01/Accounts/" + settings.accountSid() + "/Messages.json";
      return client.postAbs(settings.apiBaseUrl().resolve(path).toString())
          .authentication(new UsernamePasswordCredentials(settings.accountSid(), settings.authToken()))
          .timeout(15_000)
          .sendForm(form)
          .transform(result -> {
            if (result.succeeded() && result.result().statusCode() / 100 == 2) {
              numbers.countUsage(0, List.of(SmsSegments.count(text)))
                  .onFailure(e -> LOG.warn("could not count SMS usage: {}", e.toString()));
              return Future.succeededFuture(result.result().bodyAsJsonObject().getString("sid"));
            }
            boolean retryable = result.failed() || result.result().statusCode() == 429
                || result.result().statusCode() >= 500;
            if (!retryable) {
              HttpResponse<Buffer> refused = result.result();
              return Future.failedFuture(new HeardException.BadRequest("sms-refused",
                  "The SMS provider refused the message (HTTP " + refused.statusCode() + "): " + providerMessage(refused)));
            }
            if (attempt >= MAX_ATTEMPTS) {
              return Future.failedFuture(new HeardException.Unavailable("sms-provider-unavailable",
                  "The SMS provider did not accept the message after " + attempt + " attempts.",
                  result.failed() ? result.cause() : null));
            }
            return after(backoff(result.succeeded() ? result.result() : null, attempt))
                .compose(v -> attempt(key, phoneNumber, text, attempt + 1));
          });
    });
  }

  private long backoff(HttpResponse<Buffer> response, int attempt) {
    String retryAfter = response == null ? null : response.getHeader("Retry-After");
    if (retryAfter != null && retryAfter.matches("\\d{1,5}")) {
      return Math.min(MAX_BACKOFF_MS, Long.parseLong(retryAfter) * 1000);
    }
    return Math.min(MAX_BACKOFF_MS, settings.firstBackoffMs() << (attempt - 1));
  }

  private static String providerMessage(HttpResponse<Buffer> response) {
    try {
      return String.valueOf(response.bodyAsJsonObject().getValue("message"));
    } catch (RuntimeException e) {
      return "no details";
    }
  }

  /** Waits for this process's next sending slot: {@code perSecond} slots a second, in order. */
  private Future<Void> slot() {
    long now = System.currentTimeMillis();
    long wait;
    synchronized (this) {
      long slot = Math.max(now, nextSlotMillis);
      nextSlotMillis = slot + 1000L / settings.perSecond();
      wait = slot - now;
    }
    return after(wait);
  }

  private Future<Void> after(long millis) {
    if (millis <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(millis, id -> promise.complete());
    return promise.future();
  }
}
