package org.heard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.heard.StoppableDatabase;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job leases: one holder at a time, renewed by its holder, taken by another once run out (a crashed
 * instance) or handed back (a clean stop); and two instances on one database run the SMS sweep on one
 * of them, which passes to the other when it stops.
 */
class JobLeasesTest {
  @Test
  void oneHolderAtATimeUntilItRunsOutOrIsHandedBack(@TempDir Path dir) throws Exception {
    try (TestServer heard = TestServer.start(dir)) {
      AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-02T10:00:00Z"));
      Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };
      JobLeases a = new JobLeases(heard.mongo(), clock);
      JobLeases b = new JobLeases(heard.mongo(), clock);
      Duration length = Duration.ofSeconds(30);
      assertTrue(a.hold("test-job", length).await(), "the first to ask holds it");
      assertFalse(b.hold("test-job", length).await(), "another does not while it lasts");
      now.set(now.get().plusSeconds(20));
      assertTrue(a.hold("test-job", length).await(), "its holder renews it");
      now.set(now.get().plusSeconds(20));
      assertFalse(b.hold("test-job", length).await(), "renewed: still the first's 20 s later");
      now.set(now.get().plusSeconds(11));
      assertTrue(b.hold("test-job", length).await(), "run out (its holder crashed): another takes it");
      assertFalse(a.hold("test-job", length).await(), "and the first no longer holds it");
      b.releaseAll().await();
      assertTrue(a.hold("test-job", length).await(), "handed back: taken at once");
      assertTrue(b.hold("other-job", length).await(), "jobs are leased one by one");
    }
  }

  @Test
  void twoInstancesRunTheSmsSweepOnOneOfThem(@TempDir Path dir) throws Exception {
    try (StoppableDatabase database = new StoppableDatabase(dir.resolve("shared.mv.db"))) {
      Map<String, String> env = new HashMap<>(Map.of(Config.MONGODB_URI, database.uri(),
          Config.SECRET, "shared-secret-for-instances-0123456789", Config.SMS_IDLE_SECONDS, "4"));
      TestServer first = TestServer.start(dir.resolve("a"), env);
      TestServer second = TestServer.start(dir.resolve("b"), env);
      TestServer stopped = null;
      try {
        String owner = awaitOwner(first, null, 15);
        List<String> owners = List.of(first.server().leaseOwner(), second.server().leaseOwner());
        assertTrue(owners.contains(owner), owner + " is one of " + owners);
        Thread.sleep(3_000);
        assertEquals(owner, awaitOwner(first, null, 15), "the sweep (every second) stays with its holder");
        TestServer holder = owner.equals(first.server().leaseOwner()) ? first : second;
        TestServer other = holder == first ? second : first;
        holder.close();
        stopped = holder;
        // Within 5 s, well before the lease (11.5 s for a sweep every second) would have run out.
        String next = awaitOwner(other, owner, 5);
        assertEquals(other.server().leaseOwner(), next, "a clean stop hands the sweep to the other at its next run");
      } finally {
        if (stopped != second) {
          second.close();
        }
        if (stopped != first) {
          first.close();
        }
      }
    }
  }

  /** The holder of the SMS sweep's lease once it is not {@code not} (waits up to {@code seconds}). */
  private static String awaitOwner(TestServer server, String not, int seconds) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (System.nanoTime() < deadline) {
      List<JsonObject> leases = server.find(JobLeases.COLLECTION, new JsonObject().put("_id", "sms-sweep"));
      if (!leases.isEmpty() && !leases.get(0).getString("owner").equals(not)
          && Documents.instant(leases.get(0).getJsonObject("until")).isAfter(Instant.now())) {
        return leases.get(0).getString("owner");
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no instance took the SMS sweep's lease" + (not == null ? "" : " from " + not));
  }
}
