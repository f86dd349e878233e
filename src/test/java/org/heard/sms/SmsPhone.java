package org.heard.sms;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.heard.TestServer;
import org.w3c.dom.NodeList;

/**
 * A resident's phone, as Twilio presents it to Heard: each text becomes a signed, form-encoded
 * webhook POST, and the TwiML reply is read back as the messages the phone would receive.
 */
public final class SmsPhone {
  public static final String AUTH_TOKEN = "test-auth-token-0123456789abcdef";
  public static final String PUBLIC_URL = "https://heard.example.org";
  private static final AtomicInteger SIDS = new AtomicInteger();

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final String number;
  private TestServer server;
  private Supplier<String> baseUrl;
  private String publicUrl = PUBLIC_URL;

  /** Signs for a server configured with another public URL. */
  public SmsPhone signingFor(String url) {
    this.publicUrl = url;
    return this;
  }

  public SmsPhone(TestServer server, String number) {
    this.server = server;
    this.number = number;
  }

  /** A phone texting a Heard running in another process, at whatever URL it has now. */
  static SmsPhone at(Supplier<String> baseUrl, String number) {
    SmsPhone phone = new SmsPhone(null, number);
    phone.baseUrl = baseUrl;
    return phone;
  }

  /** Later texts go to another server (a second instance on the same database). */
  public SmsPhone via(TestServer other) {
    this.server = other;
    return this;
  }

  static String newSid() {
    return String.format("SM%032d", SIDS.incrementAndGet());
  }

  /** Texts {@code body} and returns the messages replied (fails the test on a non-200 answer). */
  public List<String> text(String body) throws Exception {
    return text(body, newSid());
  }

  List<String> text(String body, String messageSid) throws Exception {
    HttpResponse<String> response = post(params(body, messageSid), true);
    if (response.statusCode() != 200) {
      throw new AssertionError("webhook answered " + response.statusCode() + ": " + response.body());
    }
    return messages(response.body());
  }

  Map<String, String> params(String body, String messageSid) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("ToCountry", "GB");
    params.put("SmsMessageSid", messageSid);
    params.put("NumMedia", "0");
    params.put("From", number);
    params.put("To", "+447700900000");
    params.put("Body", body);
    params.put("MessageSid", messageSid);
    params.put("AccountSid", "AC" + "0".repeat(32));
    params.put("ApiVersion", "2010-04-01");
    return params;
  }

  /** POSTs the parameters, signed as Twilio would sign them when {@code sign} is true. */
  HttpResponse<String> post(Map<String, String> params, boolean sign) throws Exception {
    return post(params, sign ? TwilioSignature.compute(AUTH_TOKEN, publicUrl + "/sms/twilio",
        new ArrayList<>(params.entrySet())) : null);
  }

  HttpResponse<String> post(Map<String, String> params, String signature) throws Exception {
    String form = params.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    HttpRequest.Builder request = HttpRequest.newBuilder(server != null ? server.uri("/sms/twilio")
            : URI.create(baseUrl.get() + "/sms/twilio"))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    if (signature != null) {
      request.header("X-Twilio-Signature", signature);
    }
    return server != null ? server.send(request.build()) : HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String signature(Map<String, String> params) {
    return TwilioSignature.compute(AUTH_TOKEN, PUBLIC_URL + "/sms/twilio", new ArrayList<>(params.entrySet()));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static List<String> messages(String twiml) throws Exception {
    NodeList nodes = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(twiml.getBytes(StandardCharsets.UTF_8)))
        .getElementsByTagName("Message");
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent());
    }
    return texts;
  }
}
