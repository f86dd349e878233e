package org.heard.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.heard.HeardProcess;
import org.heard.Latencies;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Login flood benchmark (run with {@code mvn -Pbench test -Dtest=LoginFloodBenchmark}): 50 clients,
 * each from its own address (so the per-address throttle alone cannot stop them), ask for API
 * tokens with wrong passwords as fast as they can, each attempt an Argon2 check, while one resident
 * client submits responses through the API. Target: the submissions' p99 under the flood stays
 * under 3x its idle value. Heard runs in a process of its own; both share this machine's cores.
 */
@Tag("benchmark")
class LoginFloodBenchmark {
  private static final int CLIENTS = 50;
  private static final int SUBMISSIONS = Integer.getInteger("bench.login.submissions", 500);
  private static final String PULSE = "{\"answers\": {\"feel_safe_now\": 3, \"ward\": \"E05000002\"}}";

  @TempDir
  Path dir;

  private final HttpClient resident = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void submissionsStayQuickDuringALoginFlood() throws Exception {
    Path surveys = TestServer.testSurveys(dir.resolve("surveys"));
    try (HeardProcess heard = HeardProcess.start(dir, surveys, Map.of(
        Config.ADMIN_EMAIL, "admin@example.org", Config.ADMIN_PASSWORD, "correct horse battery staple"))) {
      submit(heard, 300);  // warm up
      List<Long> idle = submit(heard, SUBMISSIONS);

      AtomicBoolean flooding = new AtomicBoolean(true);
      Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
      int port = URI.create(heard.url()).getPort();
      List<Thread> flood = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        String address = "127.0.1." + (i + 1);
        Thread client = new Thread(() -> {
          while (flooding.get()) {
            int status = tokenAttempt(address, port);
            statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
          }
        }, "login-flood-" + i);
        client.setDaemon(true);
        client.start();
        flood.add(client);
      }
      Thread.sleep(2_000);  // the flood at full strength before measuring
      long floodStart = System.nanoTime();
      List<Long> underFlood = submit(heard, SUBMISSIONS);
      double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
      flooding.set(false);
      for (Thread client : flood) {
        client.join(20_000);
      }

      double idleP99 = percentile(idle, 99);
      double floodP99 = percentile(underFlood, 99);
      long attempts = statuses.values().stream().mapToLong(LongAdder::sum).sum();
      String report = String.format("login flood: %d clients on %d addresses, %d sign-in attempts (by status %s);"
              + " %d API submissions each idle and under the flood (%.1f s): p50 %.1f / %.1f ms, p99 %.1f / %.1f ms,"
              + " p99 ratio %.2fx (target < 3x)%n", CLIENTS, CLIENTS, attempts, counts(statuses), SUBMISSIONS,
          floodSeconds, percentile(idle, 50), percentile(underFlood, 50), idleP99, floodP99, floodP99 / idleP99);
      System.out.print(report);
      Files.writeString(Path.of("target", "bench-login-flood.txt"), report);
      assertTrue(floodP99 < 3 * idleP99, report);
    }
  }

  private static Map<Integer, Long> counts(Map<Integer, LongAdder> statuses) {
    Map<Integer, Long> counts = new TreeMap<>();
    statuses.forEach((status, count) -> counts.put(status, count.sum()));
    return counts;
  }

  /** One token request with a wrong password, from {@code address}; its HTTP status (0 if none came). */
  private static int tokenAttempt(String address, int port) {
    byte[] body = ("{\"email\": \"admin@example.org\", \"password\": \"guess-" + UUID.randomUUID() + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(address, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/v1/auth/token HTTP/1.1\r\nHost: heard\r\nContent-Type: application/json\r\n"
          + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] head = in.readNBytes(12);
      in.readAllBytes();
      return head.length == 12 ? Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII)) : 0;
    } catch (Exception e) {
      return 0;
    }
  }

  /** Sequential API submissions by one resident client; each one's time in microseconds. */
  private List<Long> submit(HeardProcess heard, int count) throws Exception {
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      HttpResponse<String> response = resident.send(HttpRequest.newBuilder(
              URI.create(heard.url() + "/api/v1/surveys/sms-pulse/responses"))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
          .header("Idempotency-Key", UUID.randomUUID().toString())
          .POST(HttpRequest.BodyPublishers.ofString(PULSE)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201) {
        throw new AssertionError("submission answered " + response.statusCode() + ": " + response.body());
      }
      millis.add((System.nanoTime() - start) / 1_000);
    }
    return millis;
  }

  private static double percentile(List<Long> micros, int percent) {
    return Latencies.percentile(micros, percent) / 1000.0;
  }

}
