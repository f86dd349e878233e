package org.heard.sms;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.heard.http.FeatureRoutes;

/** {@code POST /sms/twilio}: Twilio's webhook, checked before its body is read. */
public final class SmsRoutes implements FeatureRoutes {
  private final SmsWebhook webhook;

  public SmsRoutes(SmsWebhook webhook) {
    this.webhook = webhook;
  }

  @Override
  public void mount(Router router) {
    router.post("/sms/twilio").handler(webhook::precheck);
    router.post("/sms/twilio")
        .handler(BodyHandler.create(false).setBodyLimit(SmsWebhook.MAX_BODY_BYTES))
        .handler(webhook::receive);
  }
}
