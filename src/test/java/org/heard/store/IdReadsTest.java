package org.heard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.heard.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Finds by string {@code _id} are answered from the embedded store's data map ({@link IdReads}); each
 * answer here is compared with the store's own query engine's answer to the same question put so that
 * the quick path does not take it ({@code $and} around the filter).
 */
class IdReadsTest {
  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of());

  @Test
  void answersAsTheStoresEngineDoes() {
    MongoClient mongo = heard.mongo();
    for (int i = 0; i < 12; i++) {
      mongo.insert("id_reads_test", new JsonObject().put("_id", "doc-" + i).put("n", i)
          .put("text", "comment " + i).put("nested", new JsonObject().put("x", i).put("y", "y" + i))).await();
    }
    mongo.insert("id_reads_test", new JsonObject().put("_id", 42).put("n", 42)).await();
    JsonArray some = new JsonArray(List.of("doc-3", "doc-1", "missing", "doc-1", "doc-11"));

    long before = IdReads.answered();
    same(new JsonObject().put("_id", new JsonObject().put("$in", some)), new FindOptions(), 3);
    same(new JsonObject().put("_id", "doc-4"), new FindOptions(), 1);
    same(new JsonObject().put("_id", "missing"), new FindOptions(), 0);
    same(new JsonObject().put("_id", new JsonObject().put("$in", some)),
        new FindOptions().setFields(new JsonObject().put("text", 1)), 3);
    same(new JsonObject().put("_id", new JsonObject().put("$in", some)),
        new FindOptions().setFields(new JsonObject().put("text", 1).put("nested", 1).put("_id", 0)), 3);
    same(new JsonObject().put("_id", new JsonObject().put("$in", some)), new FindOptions().setLimit(2), 2);
    // More than a batch: the whole answer comes at once, as the driver reads it.
    JsonArray all = new JsonArray();
    for (int i = 0; i < 12; i++) {
      all.add("doc-" + i);
    }
    same(new JsonObject().put("_id", new JsonObject().put("$in", all)), new FindOptions().setBatchSize(5), 12);
    assertEquals(7, IdReads.answered() - before, "each of these was answered by the quick path");
    assertEquals("comment 4", mongo.findOne("id_reads_test", new JsonObject().put("_id", "doc-4"), null).await()
        .getString("text"));

    // Not the quick path's questions: the engine answers them, the same way.
    long quick = IdReads.answered();
    same(new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray().add(42).add("doc-2"))),
        new FindOptions(), 2);
    same(new JsonObject().put("_id", new JsonObject().put("$in", some)),
        new FindOptions().setFields(new JsonObject().put("nested.x", 1)), 3);
    same(new JsonObject().put("_id", new JsonObject().put("$in", some)), new FindOptions().setSort(new JsonObject().put("n", -1)), 3);
    same(new JsonObject().put("_id", new JsonObject().put("$in", some)), new FindOptions().setSkip(1), 2);
    assertEquals(quick, IdReads.answered(), "a numeric id, a dotted projection, a sort or a skip go to the engine");
    assertEquals(List.of(), mongo.find("no_such_collection", new JsonObject().put("_id", "x")).await());
  }

  /** The quick path's answer equals the engine's, as a set of documents. */
  private static void same(JsonObject filter, FindOptions options, int expected) {
    MongoClient mongo = heard.mongo();
    List<JsonObject> quick = sorted(mongo.findWithOptions("id_reads_test", filter, options).await());
    JsonObject asEngine = new JsonObject().put("$and", new JsonArray().add(filter));
    List<JsonObject> engine = sorted(mongo.findWithOptions("id_reads_test", asEngine, options).await());
    assertEquals(engine, quick, filter + " " + options.toJson());
    assertEquals(expected, quick.size(), filter.encode());
    assertTrue(quick.stream().allMatch(d -> options.getFields().isEmpty() || !d.containsKey("n")
        || options.getFields().containsKey("n")), "projected");
  }

  private static List<JsonObject> sorted(List<JsonObject> documents) {
    return documents.stream().sorted(Comparator.comparing(d -> String.valueOf(d.getValue("_id")))).toList();
  }
}
