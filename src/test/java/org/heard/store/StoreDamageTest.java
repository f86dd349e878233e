package org.heard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.config.ConfigException;
import org.heard.response.ResponseStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded store that opens older than Heard last committed (an older copy put back, a truncated
 * file) stops start-up with a message naming the file and what to do; it is never served from
 * silently. Starting once with HEARD_ACCEPT_STORE_LOSS=true carries on from what it holds.
 */
class StoreDamageTest {
  private static final String PULSE = "{\"answers\": {\"feel_safe_now\": 3, \"ward\": \"E05000002\"}}";

  @TempDir
  Path dir;

  private void store(TestServer heard, String prefix, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      assertEquals(201, heard.postResponse("sms-pulse", prefix + i, PULSE).statusCode());
    }
  }

  private Path storeFile() {
    return dir.resolve("data").resolve(EmbeddedMongo.STORE_FILE);
  }

  @Test
  void anOlderCopyOfTheStoreIsRefusedUntilTheLossIsAccepted() throws Exception {
    try (TestServer heard = TestServer.start(dir)) {
      store(heard, "first-", 10);
    }
    Path older = dir.resolve("older-copy.mv.db");
    Files.copy(storeFile(), older);
    try (TestServer heard = TestServer.start(dir)) {
      store(heard, "second-", 10);
      Thread.sleep(500);  // past a commit, as a running server would be
    }
    Files.copy(older, storeFile(), StandardCopyOption.REPLACE_EXISTING);

    ConfigException refused = assertThrows(ConfigException.class, () -> TestServer.start(dir));
    String message = refused.problems().get(0);
    assertTrue(message.contains(storeFile().toString()), message);
    assertTrue(message.contains("older copy") && message.contains(Config.ACCEPT_STORE_LOSS + "=true"), message);

    try (TestServer heard = TestServer.start(dir, Map.of(Config.ACCEPT_STORE_LOSS, "true"))) {
      assertEquals(10, heard.count(ResponseStore.COLLECTION), "what the older copy holds, as accepted");
      store(heard, "third-", 1);
    }
    try (TestServer heard = TestServer.start(dir)) {
      assertEquals(11, heard.count(ResponseStore.COLLECTION), "once accepted, the next start is an ordinary one");
    }
  }

  @Test
  void aTruncatedStoreIsRefusedWithWhatToDo() throws Exception {
    try (TestServer heard = TestServer.start(dir)) {
      store(heard, "r-", 40);
    }
    try (RandomAccessFile file = new RandomAccessFile(storeFile().toFile(), "rw")) {
      file.setLength(file.length() / 2);
    }
    ConfigException refused = assertThrows(ConfigException.class, () -> TestServer.start(dir));
    String message = refused.problems().get(0);
    assertTrue(message.contains(storeFile().toString()), message);
    assertTrue(message.contains(Config.ACCEPT_STORE_LOSS + "=true"), message);
  }
}
