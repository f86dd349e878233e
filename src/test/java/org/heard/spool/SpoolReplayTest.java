package org.heard.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A response replayed from the spool after a restart is stored with exactly the BSON types a live
 * insert stores (a whole number is Int64 both ways, not Int32 after a replay).
 */
class SpoolReplayTest {
  private static final JsonObject ANSWERS = new JsonObject().put("ward", "E05000001").put("years_in_area", 12)
      .put("feel_safe_day", 4).put("feel_safe_dark", 2).put("concerns", new JsonArray(List.of("asb", "speeding")))
      .put("what_would_help", "Better lighting on the path").put("contact_ok", false);

  @Test
  void aReplayedResponseIsStoredByteForByteAsALiveOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mongo.mv.db");
    MongoServer database = new MongoServer(new H2Backend(file.toString()));
    database.bind("127.0.0.1", 0);
    int port = database.getLocalAddress().getPort();
    String uri = "mongodb://127.0.0.1:" + port;
    String liveId;
    String replayedId;
    Map<String, String> env = Map.of(Config.MONGODB_URI, uri);
    try (TestServer heard = TestServer.start(dir.resolve("heard"), env)) {
      String body = new JsonObject().put("language", "en").put("answers", ANSWERS).encode();
      liveId = new JsonObject(heard.postResponse("community-safety", "live", body).body()).getString("id");
      database.shutdownNow();
      var queued = heard.postResponse("community-safety", "replayed", body);
      assertEquals(202, queued.statusCode(), queued.body());
      replayedId = new JsonObject(queued.body()).getString("id");
    }
    // Stopped while the database was away: the record waits on disk, and the next start replays it from there.
    database = new MongoServer(new H2Backend(file.toString()));
    database.bind("127.0.0.1", port);
    try (TestServer heard = TestServer.start(dir.resolve("heard"), env)) {
      assertEquals(0, heard.server().spoolBacklog(), "replayed before the server took traffic");
    }
    try (MongoClient client = MongoClients.create(uri)) {
      BsonDocument live = comparable(find(client, liveId));
      BsonDocument replayed = comparable(find(client, replayedId));
      // Extended JSON names each value's BSON type ({"$numberLong": "12"}), so a difference reads plainly.
      JsonWriterSettings typed = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
      assertEquals(live.toJson(typed), replayed.toJson(typed));
      assertArrayEquals(bytes(live), bytes(replayed));
    } finally {
      database.shutdownNow();
    }
  }

  /** The stored document without what differs by design between the two: id, time and key. */
  private static BsonDocument comparable(RawBsonDocument raw) {
    BsonDocument document = raw.decode(new BsonDocumentCodec());
    document.remove("_id");
    document.remove("receivedAt");
    document.remove("seq"); // numbered as stored: two responses never share one
    document.getDocument("provenance").remove("idempotencyKey");
    return document;
  }

  private static byte[] bytes(BsonDocument document) {
    ByteBuffer buffer = new RawBsonDocument(document, new BsonDocumentCodec()).getByteBuffer().asNIO();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  private static RawBsonDocument find(MongoClient client, String id) throws Exception {
    CompletableFuture<RawBsonDocument> found = new CompletableFuture<>();
    client.getDatabase("heard").getCollection("responses", RawBsonDocument.class).find(Filters.eq("_id", id)).first()
        .subscribe(new Subscriber<>() {
          @Override
          public void onSubscribe(Subscription subscription) {
            subscription.request(1);
          }

          @Override
          public void onNext(RawBsonDocument document) {
            found.complete(document);
          }

          @Override
          public void onError(Throwable error) {
            found.completeExceptionally(error);
          }

          @Override
          public void onComplete() {
            found.complete(null);
          }
        });
    RawBsonDocument document = found.get(10, TimeUnit.SECONDS);
    if (document == null) {
      throw new AssertionError("no response " + id);
    }
    return document;
  }
}
