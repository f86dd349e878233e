package org.heard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The webhook's gate: only requests Twilio signed for this URL are read, and bad ones change nothing. */
class SmsWebhookTest {
  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(
      Config.TWILIO_AUTH_TOKEN, SmsPhone.AUTH_TOKEN,
      Config.PUBLIC_URL, SmsPhone.PUBLIC_URL));

  private final SmsPhone phone = new SmsPhone(heard, "+447700900201");

  private long storedDocuments() {
    return heard.count(NumberStore.COLLECTION) + heard.count(NumberStore.USAGE) + heard.count("responses");
  }

  private static JsonObject problem(HttpResponse<String> response) {
    assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    return new JsonObject(response.body());
  }

  @Test
  void aSignedRequestIsAnsweredWithTwiml() throws Exception {
    HttpResponse<String> response = phone.post(phone.params("HELP", SmsPhone.newSid()), true);
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/xml"));
    assertTrue(response.body().startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>"),
        response.body());
  }

  @Test
  void forgedMissingOrMisdirectedSignaturesAreRefusedAndStoreNothing() throws Exception {
    long before = storedDocuments();
    Map<String, String> params = phone.params("PULSE", SmsPhone.newSid());

    HttpResponse<String> missing = phone.post(params, false);
    assertEquals(403, missing.statusCode());
    assertEquals("urn:heard:problem:bad-signature", problem(missing).getString("type"));

    assertEquals(403, phone.post(params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=").statusCode(), "a signature of something else");

    Map<String, String> tampered = new LinkedHashMap<>(params);
    String signature = SmsPhone.signature(params);
    tampered.put("Body", "STOP");
    assertEquals(403, phone.post(tampered, signature).statusCode(), "a body changed after signing");

    Map<String, String> added = new LinkedHashMap<>(params);
    added.put("Extra", "1");
    assertEquals(403, phone.post(added, signature).statusCode(), "a parameter added after signing");

    String otherHost = TwilioSignature.compute(SmsPhone.AUTH_TOKEN, "http://127.0.0.1:" + heard.server().port()
        + "/sms/twilio", new ArrayList<>(params.entrySet()));
    assertEquals(403, phone.post(params, otherHost).statusCode(), "signed for another URL than HEARD_PUBLIC_URL");

    String otherToken = TwilioSignature.compute("another-account-token", SmsPhone.PUBLIC_URL + "/sms/twilio",
        new ArrayList<>(params.entrySet()));
    assertEquals(403, phone.post(params, otherToken).statusCode(), "signed with another auth token");

    assertEquals(before, storedDocuments(), "nothing was stored for any refused request");
  }

  @Test
  void parametersMaySendInAnyOrder() throws Exception {
    Map<String, String> params = phone.params("HELP", SmsPhone.newSid());
    String signature = SmsPhone.signature(params);
    List<Map.Entry<String, String>> reversed = new ArrayList<>(params.entrySet());
    Collections.reverse(reversed);
    Map<String, String> reordered = new LinkedHashMap<>();
    reversed.forEach(e -> reordered.put(e.getKey(), e.getValue()));
    assertEquals(200, phone.post(reordered, signature).statusCode());
  }

  @Test
  void theQueryStringIsPartOfTheSignedUrl() throws Exception {
    Map<String, String> params = phone.params("HELP", SmsPhone.newSid());
    String form = "From=" + java.net.URLEncoder.encode(params.get("From"), "UTF-8") + "&Body=HELP&MessageSid="
        + params.get("MessageSid");
    List<Map.Entry<String, String>> sent = List.of(Map.entry("From", params.get("From")), Map.entry("Body", "HELP"),
        Map.entry("MessageSid", params.get("MessageSid")));
    String signed = TwilioSignature.compute(SmsPhone.AUTH_TOKEN, SmsPhone.PUBLIC_URL + "/sms/twilio?source=sms", sent);
    assertEquals(200, postRaw("/sms/twilio?source=sms", form, signed).statusCode());
    assertEquals(403, postRaw("/sms/twilio?source=other", form, signed).statusCode());
  }

  @Test
  void malformedRequestsGetSpecificErrors() throws Exception {
    long before = storedDocuments();
    HttpResponse<String> json = heard.send(HttpRequest.newBuilder(heard.uri("/sms/twilio"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertEquals(415, json.statusCode());

    Map<String, String> noFrom = new LinkedHashMap<>(phone.params("PULSE", SmsPhone.newSid()));
    noFrom.remove("From");
    HttpResponse<String> missingFrom = phone.post(noFrom, true);
    assertEquals(400, missingFrom.statusCode());
    assertEquals("urn:heard:problem:missing-parameter", problem(missingFrom).getString("type"));

    Map<String, String> huge = phone.params("x".repeat((int) SmsWebhook.MAX_BODY_BYTES), SmsPhone.newSid());
    assertEquals(413, phone.post(huge, true).statusCode());

    HttpResponse<String> get = heard.get("/sms/twilio");
    assertEquals(405, get.statusCode());
    assertEquals(before, storedDocuments());
  }

  @Test
  void withoutAnAuthTokenEveryRequestIsRefused(@TempDir Path dir) throws Exception {
    try (TestServer unconfigured = TestServer.start(dir, Map.of(Config.PUBLIC_URL, SmsPhone.PUBLIC_URL))) {
      SmsPhone stranger = new SmsPhone(unconfigured, "+447700900202");
      HttpResponse<String> refused = stranger.post(stranger.params("PULSE", SmsPhone.newSid()), true);
      assertEquals(403, refused.statusCode());
      assertEquals("urn:heard:problem:sms-not-configured", problem(refused).getString("type"));
      assertEquals(0, unconfigured.count(NumberStore.COLLECTION));
    }
  }

  private HttpResponse<String> postRaw(String path, String form, String signature) throws Exception {
    return heard.send(HttpRequest.newBuilder(heard.uri(path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", signature)
        .POST(HttpRequest.BodyPublishers.ofString(form)).build());
  }
}
