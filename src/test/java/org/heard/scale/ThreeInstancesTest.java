package org.heard.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.UpdateOptions;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.StoppableDatabase;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.sms.SmsPhone;
import org.heard.staff.PaperEntryTest;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances on one MongoDB (a wire-protocol server in the test JVM), every client going
 * round robin across them as behind a load balancer: each web form page, API post, text message,
 * paper form and staff request reaches the next instance. Proves one truth: every acknowledged
 * response stored once while an admin's recount runs through the traffic, and the digest then
 * counting exactly what is stored on every instance; an erasure gone from every instance within
 * seconds; failed sign-ins from one address counted together.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeInstancesTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";
  static final String SECRET = "three-instances-secret-0123456789abcdef";
  /** Responses stored before the instances start, so the recount takes long enough to meet the traffic. */
  static final int SEEDED = 12_000;
  /** Plain HTTP, as the test's clients speak it (an https address would make the cookies secure-only). */
  static final String PUBLIC_URL = "http://heard.example.org";
  static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  @TempDir
  static Path dir;
  static StoppableDatabase database;
  static final TestServer[] INSTANCES = new TestServer[3];
  static final AtomicInteger NEXT = new AtomicInteger();

  @BeforeAll
  static void startThreeInstances() throws Exception {
    database = new StoppableDatabase(dir.resolve("shared.mv.db"));
    Map<String, String> env = new HashMap<>(Map.of(Config.MONGODB_URI, database.uri(), Config.SECRET, SECRET,
        Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD,
        Config.TWILIO_AUTH_TOKEN, SmsPhone.AUTH_TOKEN, Config.PUBLIC_URL, PUBLIC_URL,
        Config.WEB_NEW_FORMS_PER_HOUR, "1000", Config.WEB_POSTS_PER_MINUTE, "1000",
        Config.WEB_SENDS_PER_MINUTE, "1000", Config.SIGN_IN_FAILURES_PER_ADDRESS, "4"));
    env.put(Config.SMS_IDLE_SECONDS, "20");  // the SMS sweep then runs every 5 s
    INSTANCES[0] = TestServer.start(dir.resolve("a"), env);
    seed(INSTANCES[0]);
    INSTANCES[1] = TestServer.start(dir.resolve("b"), env);
    INSTANCES[2] = TestServer.start(dir.resolve("c"), env);
  }

  @AfterAll
  static void stopThem() throws Exception {
    for (TestServer instance : INSTANCES) {
      if (instance != null) {
        instance.close();
      }
    }
    database.close();
  }

  /** The instance the load balancer picks next. */
  static TestServer next() {
    return INSTANCES[Math.floorMod(NEXT.getAndIncrement(), INSTANCES.length)];
  }

  @Test
  @Order(1)
  void everyAcknowledgedResponseIsStoredOnceAndTheRecountDuringTrafficIsExact() throws Exception {
    String adminToken = StaffClient.token(INSTANCES[0], ADMIN, PASSWORD);
    StaffClient admin = new StaffClient(INSTANCES[1]);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    HttpResponse<String> added = admin.via(INSTANCES[2]).postForm("/staff/accounts", Map.of("email",
        "outreach@example.org", "role", "outreach", "password", PASSWORD));
    assertEquals(303, added.statusCode(), "a session signed in on one instance works on another: " + added.body());
    assertEquals(303, admin.via(INSTANCES[0]).postForm("/staff/accounts", Map.of("email", "analyst@example.org",
        "role", "analyst", "password", PASSWORD)).statusCode());

    Set<String> apiIds = ConcurrentHashMap.newKeySet();
    AtomicInteger repeats = new AtomicInteger();
    AtomicInteger web = new AtomicInteger();
    AtomicInteger sms = new AtomicInteger();
    AtomicInteger paper = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    List<String> failures = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(7);
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      running.add(clients.submit(() -> {
        for (int i = 0; !stop.get() || i < 20; i++) {
          String key = "rr-" + thread + "-" + i;
          String body = new JsonObject().put("answers", new JsonObject().put("ward", "E0500000" + (1 + i % 7))
              .put("feel_safe_day", 1 + i % 5).put("feel_safe_dark", 1 + (i + thread) % 5)).encode();
          HttpResponse<String> created = next().postResponse("community-safety", key, body);
          if (created.statusCode() != 201) {
            failures.add("API " + key + ": " + created.statusCode() + " " + created.body());
            continue;
          }
          apiIds.add(new JsonObject(created.body()).getString("id"));
          if (i % 7 == 0) {
            // A client retrying after a lost answer reaches another instance: one response, not two.
            HttpResponse<String> again = next().postResponse("community-safety", key, body);
            if (again.statusCode() != 200) {
              failures.add("repeat " + key + ": " + again.statusCode());
            }
            repeats.incrementAndGet();
          }
        }
        return null;
      }));
    }
    running.add(clients.submit(() -> {
      for (int i = 0; i < 12; i++) {
        completeWebForm("Round robin worry " + i);
        web.incrementAndGet();
      }
      return null;
    }));
    running.add(clients.submit(() -> {
      for (int i = 0; i < 8; i++) {
        SmsPhone phone = new SmsPhone(next(), String.format("+4477009003%02d", i)).signingFor(PUBLIC_URL);
        phone.via(next()).text("PULSE");
        phone.via(next()).text("4");
        phone.via(next()).text("c");
        phone.via(next()).text("Texted worry " + i);
        List<String> thanks = phone.via(next()).text("no");
        assertTrue(thanks.get(0).startsWith("Thank you"), thanks.toString());
        sms.incrementAndGet();
      }
      return null;
    }));
    running.add(clients.submit(() -> {
      StaffClient outreach = new StaffClient(next());
      assertEquals(303, outreach.login("outreach@example.org", PASSWORD));
      String batch = PaperEntryTest.startBatch(outreach.via(next()), "community-safety", 9);
      for (int i = 0; i < 9; i++) {
        HttpResponse<String> saved = outreach.via(next()).postForm(batch, PaperEntryTest.communitySafetyForm("RR" + i));
        assertEquals(303, saved.statusCode(), saved.body());
        paper.incrementAndGet();
      }
      return null;
    }));

    // The recount starts once traffic flows, on the first instance, and runs while the others take it.
    while (apiIds.size() < 60) {
      Thread.sleep(20);
    }
    long before = apiIds.size();
    long started = System.nanoTime();
    JsonObject job = INSTANCES[0].recount(adminToken);
    long recountMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    long during = apiIds.size() - before;
    Thread.sleep(1000);
    stop.set(true);
    for (Future<?> client : running) {
      client.get(120, TimeUnit.SECONDS);
    }
    clients.shutdown();
    assertEquals(List.of(), failures);
    assertTrue(during > 0, "responses arrived while the recount ran");

    long community = INSTANCES[0].count("responses") - web.get() - sms.get();
    assertEquals(SEEDED + apiIds.size() + paper.get(), community,
        "every acknowledged response stored once (repeats: " + repeats.get() + ")");
    assertEquals(apiIds.size(), INSTANCES[0].find("responses", new JsonObject().put("_id",
        new JsonObject().put("$in", new JsonArray(new ArrayList<>(apiIds))))).size());
    long pulse = INSTANCES[0].find("responses", new JsonObject().put("surveyId", "sms-pulse")).size();
    assertEquals(web.get() + sms.get(), pulse);

    // Each instance writes what it counted at least once a second.
    Thread.sleep(2500);
    String analyst = StaffClient.token(INSTANCES[1], "analyst@example.org", PASSWORD);
    for (TestServer instance : INSTANCES) {
      assertEquals(community, digestTotal(instance, analyst, "community-safety"),
          "the digest counts what is stored, on every instance");
      assertEquals(pulse, digestTotal(instance, analyst, "sms-pulse"));
    }
    System.out.printf("three instances: %d responses stored (%d seeded, %d by API with %d repeats refused as "
            + "repeats, %d web, %d SMS, %d paper), %d of them during a %d ms recount (%s counted); digest totals "
            + "%d + %d on each instance, equal to what is stored%n", community + pulse, SEEDED, apiIds.size(),
        repeats.get(), web.get(), sms.get(), paper.get(), during, recountMs, job.getLong("done"), community, pulse);
  }

  @Test
  @Order(2)
  void anErasureThroughOneInstanceIsGoneFromEveryInstanceWithinSeconds() throws Exception {
    String[] wordings = {"Cars speeding past the primary school every morning, someone will get hurt",
        "The street lights on the path are broken and it is pitch dark at night",
        "People dumping rubbish and old mattresses behind the shops again"};
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      HttpResponse<String> created = next().postResponse("community-safety", "erase-" + i, new JsonObject()
          .put("answers", new JsonObject().put("ward", "E05000001").put("feel_safe_day", 4).put("feel_safe_dark", 2)
              .put("what_would_help", wordings[i % 3] + " (" + i + ")")).encode());
      assertEquals(201, created.statusCode(), created.body());
      ids.add(new JsonObject(created.body()).getString("id"));
    }
    awaitAnalysed(ids);
    String analyst = StaffClient.token(INSTANCES[2], "analyst@example.org", PASSWORD);
    long built = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (TestServer instance : INSTANCES) {
      // One instance builds; the others take its model within seconds.
      while (!themes(instance, analyst).contains(ids.get(0))) {
        assertTrue(System.nanoTime() < built, "every instance holds the comment");
        Thread.sleep(200);
      }
    }
    String adminToken = StaffClient.token(INSTANCES[1], ADMIN, PASSWORD);
    HttpResponse<String> erased = INSTANCES[1].send(HttpRequest.newBuilder(INSTANCES[1].uri("/api/v1/erasures"))
        .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("responseId", ids.get(0)).encode())).build());
    assertEquals(200, erased.statusCode(), erased.body());
    long erasedAt = System.nanoTime();
    long slowest = 0;
    for (TestServer instance : INSTANCES) {
      long deadline = erasedAt + TimeUnit.SECONDS.toNanos(10);
      String body;
      while ((body = themes(instance, analyst)).contains(ids.get(0)) || body.contains("(0)")) {
        assertTrue(System.nanoTime() < deadline, "the erased comment is still served after 10 s");
        Thread.sleep(100);
      }
      slowest = Math.max(slowest, System.nanoTime() - erasedAt);
      HttpResponse<String> record = instance.send(HttpRequest.newBuilder(instance.uri("/api/v1/staff/responses/"
          + ids.get(0))).header("Authorization", "Bearer " + analyst).GET().build());
      assertEquals(404, record.statusCode(), record.body());
      assertTrue(body.contains(ids.get(1)), "the others stay");
    }
    System.out.printf("three instances: an erasure through one was gone from every instance's themes after %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(slowest));
  }

  @Test
  @Order(3)
  void failedSignInsFromOneAddressCountTogether() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      TestServer instance = next();
      statuses.add(instance.send(StaffClient.tokenRequest(instance, "nobody-" + i + "@example.org", "wrong " + i))
          .statusCode());
    }
    // Four failures are allowed from an address in all, not four on each instance.
    assertEquals(List.of(401, 401, 401, 401), statuses.subList(0, 4), statuses.toString());
    assertTrue(statuses.subList(4, 9).stream().allMatch(s -> s == 429), statuses.toString());
    assertFalse(INSTANCES[0].find("rate_windows", new JsonObject()).toString().contains("127.0.0.1"),
        "the address is never stored");
  }

  @Test
  @Order(4)
  void periodicJobsEachRunOnOneInstance() throws Exception {
    Set<String> instances = Set.of(INSTANCES[0].server().leaseOwner(), INSTANCES[1].server().leaseOwner(),
        INSTANCES[2].server().leaseOwner());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    JsonObject sweep = new JsonObject().put("_id", "sms-sweep");
    while (INSTANCES[0].find("job_leases", sweep).isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "the SMS sweep ran");
      Thread.sleep(200);
    }
    String holder = INSTANCES[0].find("job_leases", sweep).get(0).getString("owner");
    assertTrue(instances.contains(holder), holder);
    // Three instances run the sweep's timer; one holds it, and keeps it while it lives.
    for (int i = 0; i < 30; i++) {
      Thread.sleep(200);
      assertEquals(holder, INSTANCES[0].find("job_leases", sweep).get(0).getString("owner"));
    }
    for (JsonObject lease : INSTANCES[0].find("job_leases", new JsonObject())) {
      assertTrue(instances.contains(lease.getString("owner")), lease.encode());
    }
  }

  /** A resident's browser, each page reaching the next instance (the session is a signed cookie). */
  private static void completeWebForm(String worry) throws Exception {
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> page = browser.send(HttpRequest.newBuilder(next().uri("/surveys/sms-pulse?lang=en"))
        .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
    Matcher csrf = CSRF.matcher(page.body());
    assertTrue(csrf.find(), page.body());
    String token = csrf.group(1);
    HttpResponse<String> answered = post(browser, "/surveys/sms-pulse", "csrf=" + token
        + "&feel_safe_now=4&ward=E05000003&contact_ok=false&main_worry=" + URLEncoder.encode(worry, StandardCharsets.UTF_8));
    assertEquals("/surveys/sms-pulse/check", answered.headers().firstValue("Location").orElse(answered.body()));
    HttpResponse<String> sent = post(browser, "/surveys/sms-pulse/check", "csrf=" + token);
    assertEquals("/surveys/sms-pulse/done", sent.headers().firstValue("Location").orElse(sent.body()));
  }

  private static HttpResponse<String> post(HttpClient browser, String path, String form) throws Exception {
    return browser.send(HttpRequest.newBuilder(next().uri(path)).header("Accept", "text/html")
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long digestTotal(TestServer instance, String token, String survey) throws Exception {
    LocalDate today = LocalDate.now(ZoneId.of("Europe/London"));
    HttpResponse<String> digest = instance.send(HttpRequest.newBuilder(instance.uri("/api/v1/surveys/" + survey
        + "/digest?from=" + today.minusDays(60) + "&to=" + today)).header("Authorization", "Bearer " + token).GET().build());
    assertEquals(200, digest.statusCode(), digest.body());
    return new JsonObject(digest.body()).getJsonObject("headline").getLong("responses");
  }

  private static String themes(TestServer instance, String token) throws Exception {
    String today = LocalDate.now(ZoneId.of("Europe/London")).toString();
    HttpResponse<String> themes = instance.send(HttpRequest.newBuilder(instance.uri(
            "/api/v1/surveys/community-safety/themes?from=" + today + "&to=" + today + "&include=members"))
        .header("Authorization", "Bearer " + token).GET().build());
    assertEquals(200, themes.statusCode(), themes.body());
    return themes.body();
  }

  private static void awaitAnalysed(List<String> ids) throws Exception {
    JsonObject analysed = new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(ids)))
        .put("analysedAt", new JsonObject().put("$exists", true));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (INSTANCES[0].find("responses", analysed).size() < ids.size()) {
      assertTrue(System.nanoTime() < deadline, "the comments were not analysed in time");
      Thread.sleep(200);
    }
  }

  /** Responses stored straight into the database over the last 50 days, numbered as Heard numbers them. */
  private static void seed(TestServer instance) throws Exception {
    Instant now = Instant.now();
    List<BulkOperation> batch = new ArrayList<>();
    for (int i = 0; i < SEEDED; i++) {
      Instant at = now.minus(Duration.ofMinutes(6L * i)).minusSeconds(60);
      batch.add(BulkOperation.createInsert(new JsonObject().put("_id", String.format("5eed%028d", i))
          .put("surveyId", "community-safety").put("surveyVersion", 1).put("channel", "api").put("language", "en")
          .put("receivedAt", new JsonObject().put("$date", at.toString()))
          .put("answers", new JsonObject().put("ward", "E0500000" + (1 + i % 7)).put("feel_safe_day", 1 + i % 5)
              .put("feel_safe_dark", 1 + i % 3))
          .put("provenance", new JsonObject()).put("complete", true).put("seq", "community-safety#" + i)
          .put("analysisVersion", 3).put("analysedAt", new JsonObject().put("$date", at.toString()))));
      if (batch.size() == 3000) {
        instance.mongo().bulkWrite("responses", batch).toCompletionStage().toCompletableFuture().get();
        batch = new ArrayList<>();
      }
    }
    instance.mongo().updateCollectionWithOptions("response_sequences", new JsonObject().put("_id", "community-safety"),
            new JsonObject().put("$max", new JsonObject().put("next", (long) SEEDED)), new UpdateOptions().setUpsert(true))
        .toCompletionStage().toCompletableFuture().get();
  }
}
