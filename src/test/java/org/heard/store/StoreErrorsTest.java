package org.heard.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.heard.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Duplicate keys are recognised by the driver's error code, for single and bulk writes alike. */
class StoreErrorsTest {
  @RegisterExtension
  static final TestServer heard = TestServer.forClass();

  @Test
  void aDuplicateKeyIsRecognisedFromASingleInsertAndFromABulkWrite() throws Exception {
    MongoClient mongo = heard.mongo();
    JsonObject document = new JsonObject().put("_id", "dup-1").put("n", 1);
    mongo.insert("store_errors_test", document.copy()).await(10, TimeUnit.SECONDS);

    Throwable single = failure(mongo.insert("store_errors_test", document.copy()));
    assertTrue(StoreErrors.isDuplicateKey(single), single.toString());

    Throwable bulk = failure(mongo.bulkWriteWithOptions("store_errors_test",
        List.of(BulkOperation.createInsert(document.copy()), BulkOperation.createInsert(document.copy())),
        new BulkWriteOptions(false)));
    assertTrue(StoreErrors.isDuplicateKey(bulk), bulk.toString());
  }

  @Test
  void anotherRefusalIsNotTakenForADuplicate() throws Exception {
    Throwable refused = failure(heard.mongo().updateCollection("store_errors_test", new JsonObject(),
        new JsonObject().put("$notAnOperator", new JsonObject().put("n", 1))));
    assertFalse(StoreErrors.isDuplicateKey(refused), refused.toString());
  }

  private static Throwable failure(Future<?> write) throws Exception {
    try {
      write.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("the write was expected to be refused");
  }
}
