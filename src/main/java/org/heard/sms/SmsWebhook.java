package org.heard.sms;

import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import org.heard.error.HeardException;
import org.heard.http.MediaTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /sms/twilio}: Twilio's inbound message webhook. Nothing is read or stored until the
 * request's signature proves it came from Twilio with this account's auth token.
 */
public final class SmsWebhook {
  private static final Logger LOG = LoggerFactory.getLogger(SmsWebhook.class);
  /** Twilio sends at most 1,600 characters of text plus some fifty short parameters. */
  public static final long MAX_BODY_BYTES = 64 * 1024;

  private final SmsService sms;
  private final String authToken;
  private final String publicUrl;

  /**
   * @param authToken Twilio's auth token, or null: then every request is refused
   * @param publicUrl the URL Twilio is configured to call, up to the path (no trailing slash)
   */
  public SmsWebhook(SmsService sms, String authToken, String publicUrl) {
    this.sms = sms;
    this.authToken = authToken;
    this.publicUrl = publicUrl;
    if (authToken == null) {
      LOG.warn("TWILIO_AUTH_TOKEN is not set: the SMS webhook /sms/twilio refuses every request");
    }
  }

  /** Checks configuration and media type before any body is read. */
  public void precheck(RoutingContext ctx) {
    if (authToken == null) {
      ctx.fail(new HeardException.Forbidden("sms-not-configured",
          "SMS is not set up on this server (TWILIO_AUTH_TOKEN is not configured), so no message is accepted."));
      return;
    }
    if (MediaTypes.require(ctx, "application/x-www-form-urlencoded", "Twilio's webhook")) {
      ctx.next();
    }
  }

  public void receive(RoutingContext ctx) {
    List<Map.Entry<String, String>> params = ctx.request().formAttributes().entries();
    String url = publicUrl + ctx.request().uri();
    if (!TwilioSignature.verify(authToken, url, params, ctx.request().getHeader("X-Twilio-Signature"))) {
      ctx.fail(new HeardException.Forbidden("bad-signature",
          "The X-Twilio-Signature header is missing or does not match this request; nothing was stored."));
      return;
    }
    String from = ctx.request().getFormAttribute("From");
    String messageSid = ctx.request().getFormAttribute("MessageSid");
    String body = ctx.request().getFormAttribute("Body");
    if (from == null || from.isBlank() || messageSid == null || messageSid.isBlank()) {
      ctx.fail(new HeardException.BadRequest("missing-parameter",
          "An inbound message needs From and MessageSid parameters."));
      return;
    }
    sms.receive(from, body == null ? "" : body, messageSid)
        .onSuccess(reply -> ctx.response().putHeader("Content-Type", TwiML.CONTENT_TYPE).end(TwiML.messages(reply)))
        .onFailure(ctx::fail);
  }
}
