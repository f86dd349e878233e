package org.heard.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instances on one database share one secret: one with another (set, or generated) does not start. */
class SecretCheckTest {
  @TempDir
  Path dir;

  @Test
  void anInstanceWithAnotherSecretIsRefusedAtStartUp() throws Exception {
    try (TestServer first = TestServer.start(dir.resolve("a"), Map.of(Config.SECRET, "the-first-instance-secret-0123456789"))) {
      Exception refused = assertThrows(Exception.class, () -> {
        try (TestServer other = TestServer.start(dir.resolve("b"), Map.of(Config.MONGODB_URI,
            first.server().databaseConnectionString(), Config.SECRET, "a-different-secret-for-this-one-98765"))) {
          assertTrue(other == null, "started with another secret");
        }
      });
      assertTrue(refused.getMessage().contains("is not the one the other instances on this database use"),
          refused.toString());
      // No secret set: the generated one in its own data directory differs just the same.
      Exception generated = assertThrows(Exception.class, () -> {
        try (TestServer other = TestServer.start(dir.resolve("c"), Map.of(Config.MONGODB_URI,
            first.server().databaseConnectionString()))) {
          assertTrue(other == null, "started with a generated secret");
        }
      });
      assertTrue(String.valueOf(generated.getMessage()).contains("copy the first instance's secret.key"), generated.toString());
      try (TestServer same = TestServer.start(dir.resolve("d"), Map.of(Config.MONGODB_URI,
          first.server().databaseConnectionString(), Config.SECRET, "the-first-instance-secret-0123456789"))) {
        assertEquals(200, same.get("/health").statusCode());
      }
    }
  }
}
