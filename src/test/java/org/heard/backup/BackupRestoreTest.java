package org.heard.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.heard.MainRunner;
import org.heard.TestServer;
import org.heard.store.EmbeddedMongo;
import org.heard.store.StoreBackup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code heard.jar backup} while residents keep answering, then {@code restore} with Heard stopped:
 * the restored store holds every response stored before the backup began and none stored after it
 * ended, nothing twice, each exactly as it was; a quiet backup restores every response unchanged. A
 * damaged backup, a non-empty target and a restore under a running Heard are refused and change
 * nothing.
 */
class BackupRestoreTest {
  @Test
  void aBackupTakenWhileResidentsAnswerIsRestoredWhole(@TempDir Path dir) throws Exception {
    try (TestServer heard = TestServer.start(dir)) {
      for (int i = 0; i < 60; i++) {
        assertEquals(201, heard.postResponse("community-safety", "before-" + i, body(i)).statusCode());
      }
      AtomicBoolean answering = new AtomicBoolean(true);
      AtomicInteger during = new AtomicInteger();
      Thread residents = new Thread(() -> {
        for (int i = 0; answering.get(); i++) {
          try {
            if (heard.postResponse("community-safety", "during-" + i, body(i)).statusCode() == 201) {
              during.incrementAndGet();
            }
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }
      });
      residents.start();
      Thread.sleep(300);
      Map<String, JsonObject> storedBefore = byId(heard.find("responses", new JsonObject()));
      Path backup = dir.resolve("backup");
      MainRunner.Result written = MainRunner.run(heard.env(), "backup", backup.toString());
      answering.set(false);
      residents.join();
      Map<String, JsonObject> storedAfter = byId(heard.find("responses", new JsonObject()));
      assertEquals(0, written.status(), written.err());
      assertTrue(written.out().contains("taken by the running Heard"), written.out());
      assertTrue(during.get() > 0, "residents answered while the backup was taken");
      StoreBackup.Contents contents = StoreBackup.verify(backup);
      assertTrue(contents.documents().get("responses") >= storedBefore.size(), contents.toString());

      for (int i = 0; i < 10; i++) {
        assertEquals(201, heard.postResponse("community-safety", "after-" + i, body(i)).statusCode());
      }
      Set<String> afterBackup = new HashSet<>(byId(heard.find("responses", new JsonObject())).keySet());
      afterBackup.removeAll(storedAfter.keySet());
      assertEquals(10, afterBackup.size());

      MainRunner.Result running = MainRunner.run(heard.env(), "restore", backup.toString());
      assertEquals(1, running.status());
      assertTrue(running.err().contains("Heard is running"), running.err());
      MainRunner.Result notEmpty = MainRunner.run(heard.env(), "backup", backup.toString());
      assertEquals(1, notEmpty.status());
      assertTrue(notEmpty.err().contains("is not empty"), notEmpty.err());

      Path data = Path.of(heard.env().get("HEARD_DATA_DIR"));
      heard.restartAfter(() -> {
        // A damaged backup is refused before anything in the data directory moves.
        Path damaged = copy(backup, dir.resolve("damaged"));
        Path archive = damaged.resolve("heard-store.zip");
        Files.write(archive, Arrays.copyOf(Files.readAllBytes(archive), (int) Files.size(archive) / 2));
        byte[] storeBefore = Files.readAllBytes(data.resolve(EmbeddedMongo.STORE_FILE));
        MainRunner.Result refused = MainRunner.run(heard.env(), "restore", damaged.toString());
        assertEquals(1, refused.status());
        assertTrue(refused.err().contains("damaged"), refused.err());
        assertTrue(Arrays.equals(storeBefore, Files.readAllBytes(data.resolve(EmbeddedMongo.STORE_FILE))));

        MainRunner.Result restored = MainRunner.run(heard.env(), "restore", backup.toString());
        assertEquals(0, restored.status(), restored.err());
        assertTrue(restored.out().contains("What was there is in"), restored.out());
        return null;
      });

      Map<String, JsonObject> back = byId(heard.find("responses", new JsonObject()));
      assertTrue(back.keySet().containsAll(storedBefore.keySet()), "everything stored before the backup began");
      assertTrue(storedAfter.keySet().containsAll(back.keySet()), "nothing stored after it ended: "
          + back.keySet().stream().filter(id -> !storedAfter.containsKey(id)).toList());
      for (Map.Entry<String, JsonObject> response : storedBefore.entrySet()) {
        assertEquals(response.getValue().getString("contentHash"), back.get(response.getKey()).getString("contentHash"));
      }
      assertEquals(heard.count("responses"), back.size(), "nothing twice");
      System.out.printf("backup while residents answered: %d responses stored before it began, %d during it, %d in the "
          + "backup; restored: %d responses, every one with its content hash, none stored after the backup ended%n",
          storedBefore.size(), during.get(), contents.documents().get("responses"), back.size());
      // The restored Heard takes new responses as before.
      assertEquals(201, heard.postResponse("community-safety", "restored-1", body(1)).statusCode());
    }
  }

  @Test
  void aQuietBackupRestoresEveryResponseUnchanged(@TempDir Path dir) throws Exception {
    try (TestServer heard = TestServer.start(dir)) {
      for (int i = 0; i < 40; i++) {
        assertEquals(201, heard.postResponse("community-safety", "quiet-" + i, body(i)).statusCode());
      }
      List<JsonObject> original = sorted(heard.find("responses", new JsonObject()));
      Path backup = dir.resolve("backup");
      assertEquals(0, MainRunner.run(heard.env(), "backup", backup.toString()).status());
      for (int i = 0; i < 5; i++) {
        assertEquals(201, heard.postResponse("community-safety", "later-" + i, body(i)).statusCode());
      }
      Path second = dir.resolve("backup-stopped");
      heard.restartAfter(() -> {
        MainRunner.Result stopped = MainRunner.run(heard.env(), "backup", second.toString());
        assertEquals(0, stopped.status(), stopped.err());
        assertTrue(stopped.out().contains("Heard was not running"), stopped.out());
        assertEquals(45L, StoreBackup.verify(second).documents().get("responses"));
        assertEquals(0, MainRunner.run(heard.env(), "restore", backup.toString()).status());
        return null;
      });
      List<JsonObject> restored = sorted(heard.find("responses", new JsonObject()));
      assertEquals(original.size(), restored.size());
      assertEquals(original, restored, "every response exactly as it was");
      assertEquals(40, heard.count("response_numbers"), "the numbers came back with them");
    }
  }

  private static Map<String, JsonObject> byId(List<JsonObject> documents) {
    return documents.stream().collect(Collectors.toMap(d -> d.getString("_id"), d -> d));
  }

  private static List<JsonObject> sorted(List<JsonObject> documents) {
    List<JsonObject> copy = new ArrayList<>(documents);
    copy.sort(Comparator.comparing(d -> d.getString("_id")));
    return copy;
  }

  private static Path copy(Path from, Path to) throws Exception {
    try (var files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(from.relativize(file).toString()));
      }
    }
    return to;
  }

  private static String body(int i) {
    return new JsonObject().put("language", "en").put("answers", new JsonObject().put("ward", "E05000001")
        .put("feel_safe_day", 1 + i % 5).put("feel_safe_dark", 2)).encode();
  }
}
