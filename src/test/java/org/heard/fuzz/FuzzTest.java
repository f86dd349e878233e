package org.heard.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * At least 10,000 generated malformed requests across every public endpoint, sent as raw bytes over
 * sockets (so nothing in a client library tidies them up): every one gets a 4xx with a message,
 * none a 5xx or a hang, and nothing stored changes.
 */
class FuzzTest {
  private static final int REQUESTS = Integer.getInteger("heard.fuzz.requests", 10_000);
  private static final List<String> WATCHED = List.of("responses", "web_drafts", "sms_numbers", "sms_usage",
      "staff", "staff_sessions", "staff_tokens", "paper_batches", "paper_entries");

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.TWILIO_AUTH_TOKEN, "fuzz-token",
      Config.WEB_POSTS_PER_MINUTE, "100000", Config.ADMIN_EMAIL, "admin@example.org",
      Config.ADMIN_PASSWORD, "correct horse battery staple"));

  /** One generated request and what kind of mistake it carries. */
  record Probe(String kind, String method, String path, Map<String, String> headers, byte[] body) {
  }

  /** The status, and the body, of one answer (or a note that none came). */
  record Answer(int status, String body) {
  }

  @Test
  void malformedRequestsGetA4xxWithAMessageAndChangeNothing() throws Exception {
    Map<String, Long> before = counts();
    List<Probe> probes = new Generator(new Random(Long.getLong("heard.fuzz.seed", 7L))).generate(REQUESTS);
    assertTrue(probes.size() >= REQUESTS);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<String>> results = new ArrayList<>();
    for (Probe probe : probes) {
      results.add(pool.submit(() -> check(probe)));
    }
    List<String> failures = new ArrayList<>();
    Map<String, Integer> statuses = new java.util.TreeMap<>();
    for (int i = 0; i < results.size(); i++) {
      String outcome = results.get(i).get(60, TimeUnit.SECONDS);
      if (outcome.startsWith("FAIL")) {
        failures.add(outcome);
      } else {
        statuses.merge(outcome, 1, Integer::sum);
      }
    }
    pool.shutdown();
    System.out.println("fuzz: " + probes.size() + " requests, statuses " + statuses);
    Map<String, Long> byKind = new java.util.TreeMap<>();
    failures.forEach(f -> byKind.merge(f.replaceAll("^(FAIL [^:]*: [a-z0-9-]+ [A-Z]+ [^ ]*).*", "$1"), 1L, Long::sum));
    assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())),
        failures.size() + " failures, by kind: " + byKind);
    assertEquals(before, counts(), "nothing stored changed");
    assertEquals(200, heard.get("/health").statusCode(), "and the server is fine");
  }

  private static Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String collection : WATCHED) {
      counts.put(collection, heard.count(collection));
    }
    return counts;
  }

  private static String check(Probe probe) {
    Answer answer;
    try {
      answer = send(probe);
    } catch (SocketTimeoutException e) {
      return "FAIL hang: " + describe(probe);
    } catch (Exception e) {
      // The server may close a connection on bytes that are not HTTP at all (Netty answers 400 first
      // when it can); a reset without an answer is acceptable only for those.
      return probe.kind().equals("garbage") ? "closed" : "FAIL " + e + ": " + describe(probe);
    }
    if (answer.status() < 400 || answer.status() > 499) {
      return "FAIL status " + answer.status() + ": " + describe(probe) + " -> " + shorten(answer.body());
    }
    if (answer.body().isBlank() && answer.status() != 431 && answer.status() != 414 && answer.status() != 400) {
      return "FAIL no message with " + answer.status() + ": " + describe(probe);
    }
    return String.valueOf(answer.status());
  }

  private static String describe(Probe probe) {
    return probe.kind() + " " + probe.method() + " " + shorten(probe.path()) + " " + probe.headers().keySet()
        + " body " + shorten(new String(probe.body(), StandardCharsets.UTF_8));
  }

  private static String shorten(String text) {
    return text.length() > 160 ? text.substring(0, 160) + "..." : text;
  }

  static Answer send(Probe probe) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", heard.server().port())) {
      socket.setSoTimeout(10_000);
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      StringBuilder head = new StringBuilder(probe.method()).append(' ').append(probe.path()).append(" HTTP/1.1\r\n");
      head.append("Host: 127.0.0.1\r\nConnection: close\r\n");
      probe.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
      if (!probe.headers().containsKey("Content-Length") && !probe.headers().containsKey("Transfer-Encoding")) {
        head.append("Content-Length: ").append(probe.body().length).append("\r\n");
      }
      head.append("\r\n");
      request.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      request.write(probe.body());
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.toByteArray());
        out.flush();
      } catch (java.io.IOException closedEarly) {
        // The server may answer (413, 431) and close before the whole request is sent; read what came.
      }
      InputStream in = socket.getInputStream();
      return readAnswer(in);
    }
  }

  /** Reads one HTTP answer: the head, then Content-Length bytes (or to the end); no need to wait for a close. */
  private static Answer readAnswer(InputStream in) throws Exception {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : 0;
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    if (!text.startsWith("HTTP/1.1 ")) {
      throw new java.io.IOException("no HTTP answer: " + shorten(text));
    }
    int status = Integer.parseInt(text.substring(9, 12));
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text);
    byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : in.readAllBytes();
    return new Answer(status, new String(body, StandardCharsets.UTF_8));
  }

  /** Generates malformed requests of many kinds, from a seed. */
  static final class Generator {
    private final Random random;

    Generator(Random random) {
      this.random = random;
    }

    private static final String VALID = "{\"answers\": {\"feel_safe_now\": 4, \"ward\": \"E05000003\"}, \"language\": \"en\"}";
    private static final List<String> INJECTIONS = List.of("{\"$gt\": \"\"}", "{\"$ne\": null}", "{\"$where\": \"1\"}",
        "{\"$regex\": \".*\"}", "[{\"$gt\": 0}]", "{\"$expr\": {\"$eq\": [1, 1]}}");
    private static final List<String> BAD_IDS = List.of("unknown", "..%2F..%2Fetc%2Fpasswd", "%00", "a%20b",
        "%F0%28%8C%28", "<script>", "$where", "community-safety%2F..", "x".repeat(300), "%C0%AE%C0%AE");

    List<Probe> generate(int count) {
      List<Probe> probes = new ArrayList<>();
      List<java.util.function.Supplier<Probe>> kinds = List.of(
          this::brokenJson, this::wrongTypes, this::injection, this::unknownIds, this::deepNesting,
          this::invalidUtf8, this::badIdempotencyKey, this::wrongMediaType, this::hugeBody,
          this::brokenForm, this::webFormWithoutCsrf, this::smsForged, this::smsMalformed,
          this::staticTraversal, this::headerAbuse, this::tokenEndpoint, this::garbage, this::badMethods);
      while (probes.size() < count) {
        probes.add(kinds.get(random.nextInt(kinds.size())).get());
      }
      Collections.shuffle(probes, random);
      return probes;
    }

    private static Map<String, String> json() {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", "application/json");
      headers.put("Idempotency-Key", "fuzz-" + System.nanoTime());
      return headers;
    }

    private static byte[] utf8(String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }

    private String survey() {
      return random.nextBoolean() ? "community-safety" : "sms-pulse";
    }

    private Probe brokenJson() {
      String cut = VALID.substring(0, 1 + random.nextInt(VALID.length() - 2));
      String[] broken = {cut, VALID.replace(":", ""), VALID.replace("\"", "'"), VALID + "}", "{,}", "",
          "null", "[]", "\"answers\"", "{\"answers\": {}, }", "{\"answers\": {\"feel_safe_now\": 04}}", "{" };
      return new Probe("broken-json", "POST", "/api/v1/surveys/" + survey() + "/responses", json(),
          utf8(broken[random.nextInt(broken.length)]));
    }

    private Probe wrongTypes() {
      String[] bodies = {"{\"answers\": []}", "{\"answers\": \"all of them\"}", "{\"answers\": {\"feel_safe_now\": \"4\"}}",
          "{\"answers\": {\"feel_safe_now\": 4.5, \"ward\": \"E05000003\"}}", "{\"answers\": {\"ward\": 7}}",
          "{\"answers\": {\"feel_safe_now\": true, \"ward\": \"E05000003\"}}", "{\"answers\": {\"contact_ok\": \"yes\"}}",
          "{\"answers\": {\"main_worry\": [\"a\"]}}", "{\"answers\": {\"feel_safe_now\": 99, \"ward\": \"E05000003\"}}",
          "{\"answers\": {\"feel_safe_now\": 1e400, \"ward\": \"E05000003\"}}", "{\"answers\": {}, \"language\": 5}",
          "{\"answers\": {\"feel_safe_now\": 4, \"ward\": \"nowhere\"}}", "{\"answers\": {\"nope\": 1}}",
          "{\"answers\": {\"feel_safe_now\": -9223372036854775809, \"ward\": \"E05000003\"}}"};
      return new Probe("wrong-types", "POST", "/api/v1/surveys/sms-pulse/responses", json(),
          utf8(bodies[random.nextInt(bodies.length)]));
    }

    private Probe injection() {
      String operator = INJECTIONS.get(random.nextInt(INJECTIONS.size()));
      String[] bodies = {
          "{\"answers\": {\"feel_safe_now\": " + operator + ", \"ward\": \"E05000003\"}}",
          "{\"answers\": {\"ward\": " + operator + ", \"feel_safe_now\": 4}}",
          "{\"answers\": " + operator + "}",
          "{\"answers\": {\"$set\": {\"complete\": false}}}",
          "{\"answers\": {\"feel_safe_now\": 4, \"ward\": \"E05000003\"}, \"language\": " + operator + "}",
          "{\"answers\": {\"feel_safe_now\": 4, \"ward\": \"E05000003\", \"main_worry\": " + operator + "}}",
          "{\"$where\": \"sleep(1000)\", \"answers\": {}}"};
      return new Probe("injection", "POST", "/api/v1/surveys/sms-pulse/responses", json(),
          utf8(bodies[random.nextInt(bodies.length)]));
    }

    private Probe unknownIds() {
      String id = BAD_IDS.get(random.nextInt(BAD_IDS.size()));
      String[] paths = {"/api/v1/surveys/" + id, "/api/v1/surveys/" + id + "/responses", "/surveys/" + id,
          "/surveys/" + id + "/check", "/surveys/sms-pulse/page/" + id, "/surveys/community-safety/page/99"};
      int pick = random.nextInt(paths.length);
      boolean post = pick == 1 || random.nextInt(4) == 0;
      return new Probe("unknown-id", post ? "POST" : "GET", paths[pick], json(), post ? utf8(VALID) : new byte[0]);
    }

    private Probe deepNesting() {
      int depth = 500 + random.nextInt(20_000);
      String nested = "[".repeat(depth) + "]".repeat(random.nextBoolean() ? depth : depth / 2);
      String body = random.nextBoolean() ? nested : "{\"answers\": {\"main_worry\": " + "{\"a\":".repeat(depth) + "1"
          + "}".repeat(depth) + "}}";
      return new Probe("deep-nesting", "POST", "/api/v1/surveys/sms-pulse/responses", json(), utf8(body));
    }

    private Probe invalidUtf8() {
      byte[] prefix = utf8("{\"answers\": {\"feel_safe_now\": 4, \"ward\": \"E05000003\", \"main_worry\": \"");
      byte[][] bad = {{(byte) 0xC3, (byte) 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
          {(byte) 0xF0, (byte) 0x28, (byte) 0x8C}, {(byte) 0xC0, (byte) 0xAF}};
      byte[] suffix = utf8("\"}}");
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes(prefix);
      body.writeBytes(bad[random.nextInt(bad.length)]);
      body.writeBytes(suffix);
      return new Probe("invalid-utf8", "POST", "/api/v1/surveys/sms-pulse/responses", json(), body.toByteArray());
    }

    private Probe badIdempotencyKey() {
      Map<String, String> headers = json();
      String[] keys = {"", " ", "x".repeat(201), "a b", "\u00e9\u00e9", "tab\there"};
      String key = keys[random.nextInt(keys.length)];
      if (key.isEmpty()) {
        headers.remove("Idempotency-Key");
      } else {
        headers.put("Idempotency-Key", key);
      }
      return new Probe("idempotency-key", "POST", "/api/v1/surveys/sms-pulse/responses", headers, utf8(VALID));
    }

    private Probe wrongMediaType() {
      Map<String, String> headers = json();
      String[] types = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
          "application/jsonx", "", "application/xml"};
      String type = types[random.nextInt(types.length)];
      if (type.isEmpty()) {
        headers.remove("Content-Type");
      } else {
        headers.put("Content-Type", type);
      }
      return new Probe("media-type", "POST", "/api/v1/surveys/sms-pulse/responses", headers, utf8(VALID));
    }

    private Probe hugeBody() {
      int size = 65 * 1024 + random.nextInt(200 * 1024);
      String body = "{\"answers\": {\"main_worry\": \"" + "x".repeat(size) + "\"}}";
      String[] paths = {"/api/v1/surveys/sms-pulse/responses", "/sms/twilio", "/surveys/sms-pulse"};
      String path = paths[random.nextInt(paths.length)];
      Map<String, String> headers = path.startsWith("/api") ? json()
          : new LinkedHashMap<>(Map.of("Content-Type", "application/x-www-form-urlencoded"));
      return new Probe("huge-body", "POST", path, headers, utf8(path.startsWith("/api") ? body : "Body=" + "x".repeat(size)));
    }

    private Probe brokenForm() {
      String[] bodies = {"csrf=%zz&feel_safe_now=4", "%", "=&=&==", "feel_safe_now=%FF%FE", "a=" + "%".repeat(50),
          "csrf=abc&feel_safe_now=4&feel_safe_now=5", "csrf&ward", "&&&&"};
      String[] paths = {"/surveys/sms-pulse", "/surveys/community-safety/page/2", "/surveys/sms-pulse/check",
          "/staff/login"};
      return new Probe("broken-form", "POST", paths[random.nextInt(paths.length)],
          new LinkedHashMap<>(Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html")),
          utf8(bodies[random.nextInt(bodies.length)]));
    }

    private Probe webFormWithoutCsrf() {
      String[] bodies = {"feel_safe_now=4&ward=E05000003", "csrf=forged&feel_safe_now=4",
          "csrf=&feel_safe_now=4&ward=%3Cscript%3E", "website=spam&csrf=x"};
      Map<String, String> headers = new LinkedHashMap<>(Map.of("Content-Type", "application/x-www-form-urlencoded"));
      if (random.nextBoolean()) {
        headers.put("Cookie", "heard_csrf=" + "a".repeat(22));
      }
      return new Probe("no-csrf", "POST", "/surveys/sms-pulse", headers, utf8(bodies[random.nextInt(bodies.length)]));
    }

    private Probe smsForged() {
      Map<String, String> headers = new LinkedHashMap<>(Map.of("Content-Type", "application/x-www-form-urlencoded"));
      String[] signatures = {"", "AAAA", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "x".repeat(5000), "\u00ff"};
      String signature = signatures[random.nextInt(signatures.length)];
      if (!signature.isEmpty()) {
        headers.put("X-Twilio-Signature", signature);
      }
      return new Probe("sms-forged", "POST", "/sms/twilio", headers,
          utf8("From=%2B447700900123&Body=STOP&MessageSid=SM" + random.nextInt(1_000_000)));
    }

    private Probe smsMalformed() {
      String[] types = {"application/json", "text/plain", "application/x-www-form-urlencoded"};
      String[] bodies = {"{\"From\": \"+447700900123\"}", "From=%zz&Body=%", "Body=" + "%FF".repeat(100), ""};
      return new Probe("sms-malformed", "POST", "/sms/twilio" + (random.nextBoolean() ? "" : "?x=%zz"),
          new LinkedHashMap<>(Map.of("Content-Type", types[random.nextInt(types.length)], "X-Twilio-Signature", "AAAA")),
          utf8(bodies[random.nextInt(bodies.length)]));
    }

    private Probe staticTraversal() {
      String[] paths = {"/static/../pom.xml", "/static/..%2F..%2Fpom.xml", "/static/%2e%2e/%2e%2e/etc/passwd",
          "/static/....//....//etc/passwd", "/static/heard.css%00.js", "/static/.hidden", "/static/",
          "/static/nope.css", "/static/..\\..\\pom.xml", "/static/%c0%ae%c0%ae/pom.xml", "/../../etc/passwd",
          "/static/" + "a/".repeat(200)};
      return new Probe("traversal", "GET", paths[random.nextInt(paths.length)], new LinkedHashMap<>(), new byte[0]);
    }

    private Probe headerAbuse() {
      Map<String, String> headers = new LinkedHashMap<>();
      int pick = random.nextInt(5);
      switch (pick) {
        case 0 -> headers.put("X-Huge", "h".repeat(20_000 + random.nextInt(20_000)));
        case 1 -> headers.put("Cookie", "heard_staff=" + "c".repeat(30_000));
        case 2 -> {
          headers.put("Content-Type", "application/json");
          headers.put("Content-Length", "-5");
        }
        case 3 -> {
          headers.put("Content-Type", "application/json");
          headers.put("Transfer-Encoding", "chunked, identity");
        }
        default -> headers.put("Content-Length", "abc");
      }
      return new Probe("header-abuse", "POST", "/api/v1/surveys/sms-pulse/responses", headers, utf8(VALID));
    }

    private Probe tokenEndpoint() {
      String[] bodies = {"{\"email\": {\"$gt\": \"\"}, \"password\": \"x\"}", "{\"email\": \"a\"}", "[]", "{",
          "{\"email\": \"admin@example.org\", \"password\": {\"$ne\": null}}",
          "{\"email\": \"admin@example.org\", \"password\": \"wrong\", \"role\": \"admin\"}"};
      return new Probe("token", "POST", "/api/v1/auth/token",
          new LinkedHashMap<>(Map.of("Content-Type", "application/json")), utf8(bodies[random.nextInt(bodies.length)]));
    }

    private Probe garbage() {
      byte[] noise = new byte[1 + random.nextInt(300)];
      random.nextBytes(noise);
      return new Probe("garbage", "POST", "/api/v1/surveys/sms-pulse/responses", json(), noise);
    }

    private Probe badMethods() {
      String[] methods = {"PUT", "DELETE", "PATCH"};
      String[] paths = {"/api/v1/surveys", "/api/v1/surveys/sms-pulse/responses", "/surveys/sms-pulse", "/sms/twilio",
          "/health"};
      return new Probe("method", methods[random.nextInt(methods.length)], paths[random.nextInt(paths.length)],
          json(), utf8(VALID));
    }
  }
}
