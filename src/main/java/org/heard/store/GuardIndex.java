package org.heard.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;

/**
 * The index a compare-and-set update needs on the embedded store. An update "this document, if
 * {@code field} is still what I read" filters on {@code {_id, field}}; mongo-java-server uses an
 * index only when a filter's keys are exactly a unique index's, so without this one every such
 * update reads the whole collection. Unique because {@code _id} is; on MongoDB {@code _id} serves
 * the filter anyway and this index costs only its upkeep.
 */
public final class GuardIndex {
  private GuardIndex() {
  }

  /** Declares the unique index {@code {_id: 1, field: 1}} named {@code id_<field>}. */
  public static Future<Void> on(MongoClient mongo, String collection, String field) {
    return mongo.createIndexWithOptions(collection, new JsonObject().put("_id", 1).put(field, 1),
        new IndexOptions().name("id_" + field).unique(true));
  }
}
