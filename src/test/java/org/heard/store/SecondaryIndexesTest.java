package org.heard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Path;
import java.util.List;
import org.heard.StoppableDatabase;
import org.heard.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store keeps nothing for a non-unique index but reads each collection whole at every
 * opening to fill it: such indexes never reach it (answered as created), and one an older Heard
 * created is dropped at the next start, while the unique ones stay.
 */
class SecondaryIndexesTest {
  @TempDir
  Path dir;

  @Test
  void nonUniqueIndexesNeverReachTheEmbeddedStoreAndOldOnesAreDropped() throws Exception {
    try (TestServer heard = TestServer.start(dir)) {
      assertEquals(201, heard.postResponse("sms-pulse", "kept",
          "{\"answers\": {\"feel_safe_now\": 3, \"ward\": \"E05000002\"}}").statusCode());
      assertFalse(names(heard.mongo(), "responses").contains("survey_received"),
          "Heard's own non-unique index was answered, not created");
      assertTrue(names(heard.mongo(), "responses").contains("seq"), "the unique ones are created");
    }
    // An older Heard's store: a non-unique index written straight into the file.
    Vertx vertx = Vertx.vertx();
    try (StoppableDatabase old = new StoppableDatabase(dir.resolve("data").resolve(EmbeddedMongo.STORE_FILE))) {
      MongoClient client = Database.connect(vertx, old.uri(), "heard");
      client.createIndexWithOptions("responses", new JsonObject().put("surveyId", 1).put("receivedAt", 1),
          new IndexOptions().name("survey_received")).await();
      assertTrue(names(client, "responses").contains("survey_received"));
      client.close().await();
    } finally {
      vertx.close().await();
    }
    try (TestServer heard = TestServer.start(dir)) {
      List<String> indexes = names(heard.mongo(), "responses");
      assertFalse(indexes.contains("survey_received"), "dropped at the start: " + indexes);
      assertTrue(indexes.contains("seq") && indexes.contains("id_analysed"), indexes.toString());
      assertEquals(1, heard.count("responses"), "the responses stay");
    }
  }

  private static List<String> names(MongoClient client, String collection) {
    return client.listIndexes(collection).await().stream().map(i -> ((JsonObject) i).getString("name")).toList();
  }
}
