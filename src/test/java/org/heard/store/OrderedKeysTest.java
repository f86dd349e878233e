package org.heard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store file written by mongo-java-server's own H2 backend is read by Heard's (whose unique indexes
 * compare keys without serialising them) and the other way round: every document is found by each
 * unique index, so the two keep the same order on disk.
 */
class OrderedKeysTest {
  private static final int DOCUMENTS = 3_000;

  @TempDir
  Path dir;

  @Test
  void aFileWrittenByEitherBackendIsReadByTheOther() throws Exception {
    Path plainFirst = dir.resolve("plain-first.mv");
    write(plainFirst, H2Backend::new, 0);
    assertEquals(DOCUMENTS, found(plainFirst, OrderedKeys::backend, 0));
    write(plainFirst, OrderedKeys::backend, DOCUMENTS);
    assertEquals(2 * DOCUMENTS, found(plainFirst, H2Backend::new, 0) + found(plainFirst, H2Backend::new, DOCUMENTS));
    assertEquals(2 * DOCUMENTS, found(plainFirst, OrderedKeys::backend, 0)
        + found(plainFirst, OrderedKeys::backend, DOCUMENTS));
  }

  /** Documents {@code from} to {@code from + DOCUMENTS} with random string ids and a compound unique key. */
  private static void write(Path file, Function<MVStore, H2Backend> backend, int from) throws Exception {
    use(file, backend, mongo -> {
      mongo.createIndexWithOptions("docs", new JsonObject().put("_id", 1).put("state", 1),
          new IndexOptions().name("id_state").unique(true)).await();
      mongo.createIndexWithOptions("docs", new JsonObject().put("seq", 1),
          new IndexOptions().name("seq").unique(true)).await();
      List<BulkOperation> inserts = new ArrayList<>();
      for (int n = from; n < from + DOCUMENTS; n++) {
        JsonObject doc = new JsonObject().put("_id", id(n)).put("seq", "survey#" + n);
        if (n % 3 == 0) {
          doc.put("state", "done é " + n);
        }
        inserts.add(BulkOperation.createInsert(doc));
      }
      mongo.bulkWrite("docs", inserts).await();
      return 0;
    });
  }

  /** How many of the documents are found by each of their unique keys (all three must find it). */
  private static int found(Path file, Function<MVStore, H2Backend> backend, int from) throws Exception {
    return use(file, backend, mongo -> {
      int found = 0;
      for (int n = from; n < from + DOCUMENTS; n += 1) {
        JsonObject byState = new JsonObject().put("_id", id(n));
        if (n % 3 == 0) {
          byState.put("state", "done é " + n);
        } else {
          byState.putNull("state");
        }
        boolean all = mongo.findOne("docs", new JsonObject().put("_id", id(n)), null).await() != null
            && mongo.findOne("docs", byState, null).await() != null
            && mongo.findOne("docs", new JsonObject().put("seq", "survey#" + n), null).await() != null;
        found += all ? 1 : 0;
      }
      return found;
    });
  }

  private static String id(int n) {
    return Long.toHexString(new Random(n).nextLong()) + n;
  }

  private interface Use {
    int with(MongoClient mongo) throws Exception;
  }

  private static int use(Path file, Function<MVStore, H2Backend> backend, Use use) throws Exception {
    MVStore store = new MVStore.Builder().fileName(file.toString()).open();
    MongoServer server = new MongoServer(backend.apply(store));
    Vertx vertx = Vertx.vertx();
    try {
      var address = server.bind();
      MongoClient mongo = MongoClient.createShared(vertx, new JsonObject()
          .put("connection_string", "mongodb://127.0.0.1:" + address.getPort()).put("db_name", "test"));
      int result = use.with(mongo);
      mongo.close().await();
      return result;
    } finally {
      vertx.close().await();
      server.shutdownNow();
      store.close();
    }
  }
}
