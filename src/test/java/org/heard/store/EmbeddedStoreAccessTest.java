package org.heard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The embedded store's loopback port serves only the Heard process that opened it: a local process
 * that connects with the real driver but without the key in its handshake can neither read (the
 * password hashes, the comments) nor write (an administrator account, the audit log).
 */
class EmbeddedStoreAccessTest {
  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, "admin@example.org",
      Config.ADMIN_PASSWORD, "correct horse battery staple"));

  @Test
  void aClientWithoutTheKeyCanNeitherReadNorWrite() throws Exception {
    String keyed = heard.server().databaseConnectionString();
    assertTrue(keyed.contains("appName=heard-"), "Heard's own connection string carries the key");
    String port = keyed.replaceAll("^mongodb://127\\.0\\.0\\.1:(\\d+).*$", "$1");
    Vertx vertx = Vertx.vertx();
    try {
      for (String uri : new String[] {"mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=1000",
          "mongodb://127.0.0.1:" + port + "/?appName=heard-guess&serverSelectionTimeoutMS=1000"}) {
        MongoClient intruder = MongoClient.create(vertx, new JsonObject().put("connection_string", uri)
            .put("db_name", "heard"));
        assertRefused(() -> intruder.find("staff", new JsonObject()).toCompletionStage().toCompletableFuture()
            .get(20, TimeUnit.SECONDS));
        assertRefused(() -> intruder.insert("staff", new JsonObject().put("email", "intruder@example.org")
            .put("role", "admin")).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS));
        assertRefused(() -> intruder.removeDocuments("audit_log", new JsonObject()).toCompletionStage()
            .toCompletableFuture().get(20, TimeUnit.SECONDS));
        intruder.close();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    assertEquals(1, heard.find("staff", new JsonObject()).size(), "nothing was written; Heard's key still works");
    assertTrue(heard.find("staff", new JsonObject().put("email", "intruder@example.org")).isEmpty());
  }

  private interface Call {
    Object run() throws Exception;
  }

  private static void assertRefused(Call call) {
    ExecutionException refused = assertThrows(ExecutionException.class, call::run);
    String why = String.valueOf(refused.getCause());
    assertTrue(why.contains("Unauthorized") || why.contains("Timed out") || why.contains("refused")
        || why.contains("closed"), "refused: " + why);
  }
}
