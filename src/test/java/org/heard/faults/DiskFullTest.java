package org.heard.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.heard.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory on a small filesystem of its own (a tmpfs, mounted for the test; it needs root,
 * as CI has, and is skipped elsewhere) that fills up while four clients submit: every response
 * Heard acknowledged is stored exactly once after the disk has room again and Heard restarts, and
 * one it could not keep is refused with 503, never acknowledged.
 */
class DiskFullTest {
  private static final String PULSE = "{\"answers\": {\"feel_safe_now\": 3, \"ward\": \"E05000002\"}}";

  @TempDir
  Path dir;

  @Test
  void aFullDiskNeverLosesAnAcknowledgedResponse() throws Exception {
    Path disk = Files.createDirectories(dir.resolve("small-disk"));
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", disk.toString()),
        "mounting a small filesystem needs root");
    try {
      Path home = disk.resolve("heard");
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      Map<Integer, Integer> statuses = new TreeMap<>();
      Map<Integer, Integer> whileFull = new TreeMap<>();
      Map<Integer, Integer> after = new TreeMap<>();
      try (TestServer heard = TestServer.start(home)) {
        submit(heard, "before-", 1, 20, acknowledged, statuses);
        Path filler = disk.resolve("filler");
        fill(filler);
        submit(heard, "full-", 4, 50, acknowledged, whileFull);
        JsonObject full = ready(heard, 503);
        assertEquals(false, full.getBoolean("accepting"), full.encode());

        Files.delete(filler);
        JsonObject again = ready(heard, 200);
        assertEquals(true, again.getBoolean("accepting"), again.encode());
        submit(heard, "after-", 4, 25, acknowledged, after);
        assertEquals(100, after.getOrDefault(201, 0) + after.getOrDefault(202, 0),
            "the same process carries on by itself once the disk has room: " + after);
        for (int i = 0; i < 200 && heard.server().spoolBacklog() > 0; i++) {
          Thread.sleep(100);
        }
        assertEquals(0, heard.server().spoolBacklog(), "and writes what it queued, without a restart");
        assertEquals(acknowledged.size(), heard.count("responses"), "every acknowledged response, once, before any restart");
        System.out.println("DISK FULL before " + statuses + ", while full " + whileFull + ", after " + after
            + "; acknowledged " + acknowledged.size());
      }
      assertTrue(whileFull.keySet().stream().allMatch(s -> s == 201 || s == 202 || s == 503), whileFull.toString());
      assertTrue(whileFull.getOrDefault(503, 0) > 0, "the disk did fill: " + whileFull);
      try (TestServer heard = TestServer.start(home)) {
        List<String> missing = new ArrayList<>();
        for (String id : acknowledged) {
          int found = heard.find("responses", new JsonObject().put("_id", id)).size();
          if (found != 1) {
            missing.add(id + " x" + found);
          }
        }
        System.out.println("DISK FULL after restart: " + heard.count("responses") + " stored, " + missing.size()
            + " of " + acknowledged.size() + " acknowledged missing");
        assertEquals(List.of(), missing, "every acknowledged response is stored exactly once");
      }
    } finally {
      run("umount", "-l", disk.toString());
    }
  }

  private static void submit(TestServer heard, String prefix, int clients, int each, Set<String> acknowledged,
      Map<Integer, Integer> statuses) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      running.add(pool.submit(() -> {
        for (int i = 0; i < each; i++) {
          HttpResponse<String> response = heard.postResponse("sms-pulse", prefix + client + "-" + i, PULSE);
          synchronized (statuses) {
            statuses.merge(response.statusCode(), 1, Integer::sum);
          }
          if (response.statusCode() == 200 || response.statusCode() == 201 || response.statusCode() == 202) {
            acknowledged.add(new JsonObject(response.body()).getString("id"));
          }
        }
        return null;
      }));
    }
    for (Future<?> f : running) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
  }

  /** Waits (up to 20 s) for /ready to answer {@code status}, and returns what it said. */
  private static JsonObject ready(TestServer heard, int status) throws Exception {
    HttpResponse<String> response = null;
    for (int i = 0; i < 100; i++) {
      response = heard.get("/ready");
      if (response.statusCode() == status) {
        return new JsonObject(response.body());
      }
      Thread.sleep(200);
    }
    throw new AssertionError("/ready never answered " + status + ": " + response.body());
  }

  /** Writes until the filesystem is full. */
  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      // The disk is full now.
    }
  }

  private static boolean run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
  }
}
