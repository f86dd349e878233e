package org.heard.faults;

import static org.heard.Latencies.percentile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.heard.HeardProcess;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One client opens as many slow connections as it can (20,000 where this JVM may hold that many
 * sockets; .ci/run tries to raise the limit), trickling a header line every second: Heard (in a process of its
 * own, with its own file descriptors) keeps at most its per-client cap of them, closes the ones that
 * never finish a request head, and a resident on another address is served throughout.
 */
class SlowClientsTest {
  private static final int WANTED = 20_000;
  private static final int PER_CLIENT = 64;
  private static final String PULSE = "{\"answers\": {\"feel_safe_now\": 3, \"ward\": \"E05000002\"}}";

  @TempDir
  Path dir;

  private final HttpClient resident = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void twentyThousandSlowConnectionsFromOneClientDoNotStopOtherResidents() throws Exception {
    Path surveys = TestServer.testSurveys(dir.resolve("surveys"));
    try (HeardProcess heard = HeardProcess.start(dir, surveys, Map.of(
        Config.MAX_CONNECTIONS_PER_CLIENT, String.valueOf(PER_CLIENT),
        Config.HEADER_TIMEOUT_SECONDS, "3"))) {
      timeRequests(heard, 60);  // warm up: the first requests load classes and templates
      List<Long> idle = timeRequests(heard, 60);

      int attempts = Math.min(WANTED, socketsThisJvmCanOpen());
      List<SocketChannel> attacker = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger opened = new AtomicInteger();
      AtomicBoolean attacking = new AtomicBoolean(true);
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", URI.create(heard.url()).getPort());
      Thread flood = new Thread(() -> {
        for (int i = 0; i < attempts && attacking.get(); i++) {
          try {
            SocketChannel channel = SocketChannel.open();
            // Another loopback address: the attacker is one client, the resident another.
            channel.bind(new InetSocketAddress("127.0.0.2", 0));
            channel.connect(target);
            channel.write(ByteBuffer.wrap("GET /health HTTP/1.1\r\nHost: heard\r\n".getBytes(StandardCharsets.US_ASCII)));
            attacker.add(channel);
            opened.incrementAndGet();
          } catch (IOException e) {
            // refused or reset at once: the server is shedding this client, which is the point
          }
        }
      }, "slow-client-flood");
      Thread trickle = new Thread(() -> {
        ByteBuffer line = ByteBuffer.wrap("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
        while (attacking.get()) {
          synchronized (attacker) {
            for (SocketChannel channel : attacker) {
              try {
                channel.write(line.duplicate());
              } catch (IOException closedByHeard) {
                // counted below
              }
            }
          }
          sleep(1_000);
        }
      }, "slow-client-trickle");
      flood.start();
      trickle.start();

      List<Long> underAttack = timeRequests(heard, 60);
      flood.join();
      long held = openAtServer(attacker);
      sleep(5_000);  // longer than the 3 s header timeout, while every open socket keeps trickling
      long stillHeld = openAtServer(attacker);
      List<Long> after = timeRequests(heard, 20);
      attacking.set(false);
      trickle.join();
      synchronized (attacker) {
        for (SocketChannel channel : attacker) {
          channel.close();
        }
      }

      System.out.println("slow clients: resident latencies under the flood (ms): " + underAttack);
      System.out.printf("slow clients: %d connections opened by one client (%d wanted), %d held by the server"
              + " after the flood, %d after the header timeout; resident median %.0f ms idle, %.0f ms under the flood,"
              + " %.0f ms after; slowest %.0f ms idle, %.0f ms under the flood%n", opened.get(), WANTED, held, stillHeld,
          percentile(idle, 50), percentile(underAttack, 50), percentile(after, 50), percentile(idle, 100),
          percentile(underAttack, 100));
      assertTrue(opened.get() >= 1_000, "the flood opened " + opened.get() + " connections");
      assertEquals(60, underAttack.size(), "every resident request was answered during the flood");
      assertTrue(held <= PER_CLIENT, held + " slow connections held from one client, over its cap of " + PER_CLIENT);
      assertEquals(0, stillHeld, "connections that never finish a request head are closed");
      // While thousands of connections a second are accepted and shed (on the same two cores as the
      // flood itself), a resident may wait a few seconds at worst; typically nothing changes.
      assertTrue(percentile(underAttack, 50) < 3 * Math.max(20, percentile(idle, 50)),
          "the typical resident request slowed from " + percentile(idle, 50) + " to " + percentile(underAttack, 50) + " ms");
      // The worst waits come in the flood's first second, when the kernel's accept queue overflows and
      // drops a resident's connection attempt, which the resident's TCP retries after 1 s, then 3 s
      // (2.5 to 5.4 s measured across runs); later requests are not slowed.
      assertTrue(percentile(underAttack, 90) < 500, "one resident request in ten waited over "
          + percentile(underAttack, 90) + " ms");
      assertTrue(percentile(underAttack, 100) < 8_000, "a resident waited " + percentile(underAttack, 100) + " ms");
    }
  }

  /** Times sequential resident requests (a form page, and a response through the API) in ms. */
  private List<Long> timeRequests(HeardProcess heard, int count) throws Exception {
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      HttpRequest request = i % 2 == 0
          ? HttpRequest.newBuilder(URI.create(heard.url() + "/surveys/sms-pulse")).timeout(Duration.ofSeconds(10)).build()
          : HttpRequest.newBuilder(URI.create(heard.url() + "/api/v1/surveys/sms-pulse/responses"))
              .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
              .header("Idempotency-Key", UUID.randomUUID().toString())
              .POST(HttpRequest.BodyPublishers.ofString(PULSE)).build();
      HttpResponse<String> response = resident.send(request, HttpResponse.BodyHandlers.ofString());
      assertTrue(response.statusCode() == 200 || response.statusCode() == 201, response.statusCode() + response.body());
      millis.add((System.nanoTime() - start) / 1_000_000);
    }
    return millis;
  }

  /** How many of the attacker's sockets the server still keeps open (a closed one reads end of stream). */
  private static long openAtServer(List<SocketChannel> attacker) throws IOException {
    long open = 0;
    synchronized (attacker) {
      for (SocketChannel channel : attacker) {
        if (!channel.isOpen()) {
          continue;
        }
        channel.configureBlocking(false);
        try {
          int read = channel.read(ByteBuffer.allocate(4096));
          if (read == 0) {
            open++;
          } else {
            channel.close();  // end of stream (or a 408): the server let go of it
          }
        } catch (IOException reset) {
          channel.close();
        } finally {
          if (channel.isOpen()) {
            channel.configureBlocking(true);
          }
        }
      }
    }
    return open;
  }

  /** This JVM's remaining file descriptors, less a margin for its own jars, logs and clients. */
  private static int socketsThisJvmCanOpen() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
      return (int) Math.max(0, unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - 2_000);
    }
    return 5_000;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
