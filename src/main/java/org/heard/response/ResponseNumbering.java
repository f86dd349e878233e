package org.heard.response;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers for responses stored without one: those stored before numbers existed (once per database,
 * at start-up) and those written behind Heard's back (found by an admin's recount). On the embedded
 * store, numbers are also listed by {@code _id} ({@link ResponseSequence}); a database numbered before
 * numbers were listed has them listed once.
 */
final class ResponseNumbering {
  /** The two things numbering does to the responses collection, which ResponseStore owns. */
  interface Responses {
    Future<List<JsonObject>> find(JsonObject filter, JsonObject fields);

    Future<Void> write(List<BulkOperation> operations);
  }

  private final Responses responses;
  private final ResponseSequence sequence;
  private final boolean embedded;

  ResponseNumbering(Responses responses, ResponseSequence sequence, boolean embedded) {
    this.responses = responses;
    this.sequence = sequence;
    this.embedded = embedded;
  }

  /**
   * Numbers the responses stored before numbers existed; once per database (the sequence remembers),
   * so this one scan of the whole collection happens once. Completes with how many were numbered.
   */
  Future<Integer> numberOldResponses() {
    Future<Void> listed = !embedded ? Future.succeededFuture()
        : sequence.allListed().compose(done -> done ? Future.succeededFuture() : listNumbered());
    return listed.compose(v -> sequence.allNumbered())
        .compose(done -> done ? Future.succeededFuture(0) : numberUnnumbered());
  }

  /**
   * Lists the numbers of responses numbered before numbers were listed (embedded store): once per
   * database, one scan of the collection.
   */
  private Future<Void> listNumbered() {
    JsonObject numbered = new JsonObject().put(ResponseSequence.FIELD, new JsonObject().put("$exists", true));
    return responses.find(numbered, new JsonObject().put(ResponseSequence.FIELD, 1))
        .compose(found -> {
          Future<Void> chain = Future.succeededFuture();
          for (int from = 0; from < found.size(); from += ResponseSequence.BLOCK) {
            Map<String, String> bySeq = new LinkedHashMap<>();
            found.subList(from, Math.min(found.size(), from + ResponseSequence.BLOCK))
                .forEach(r -> bySeq.put(r.getString(ResponseSequence.FIELD), r.getString("_id")));
            chain = chain.compose(v -> sequence.listAll(bySeq));
          }
          return chain;
        })
        .compose(v -> sequence.markAllListed());
  }

  /**
   * Numbers every response without a number, whatever the marker says: documents written behind
   * Heard's back (a restore, a tool) are found by an admin's recount. One scan of the collection.
   */
  Future<Integer> numberUnnumbered() {
    JsonObject unnumbered = new JsonObject().put(ResponseSequence.FIELD, new JsonObject().put("$exists", false));
    return responses.find(unnumbered, new JsonObject().put("surveyId", 1))
            .compose(found -> {
              Future<Integer> chain = Future.succeededFuture(0);
              for (int from = 0; from < found.size(); from += ResponseSequence.BLOCK) {
                List<JsonObject> batch = found.subList(from, Math.min(found.size(), from + ResponseSequence.BLOCK));
                chain = chain.compose(n -> numberAll(batch).map(n + batch.size()));
              }
              return chain;
            })
            .compose(n -> sequence.markAllNumbered().map(n));
  }

  private Future<Void> numberAll(List<JsonObject> batch) {
    List<Future<String>> numbers = batch.stream().map(r -> sequence.next(r.getString("surveyId"))).toList();
    return Future.all(numbers).compose(all -> {
      List<BulkOperation> updates = new ArrayList<>();
      Map<String, String> bySeq = new LinkedHashMap<>();
      for (int i = 0; i < batch.size(); i++) {
        String id = batch.get(i).getString("_id");
        updates.add(BulkOperation.createUpdate(new JsonObject().put("_id", id),
            new JsonObject().put("$set", new JsonObject().put(ResponseSequence.FIELD, numbers.get(i).result()))));
        bySeq.put(numbers.get(i).result(), id);
      }
      return (embedded ? sequence.listAll(bySeq) : Future.<Void>succeededFuture())
          .compose(v -> responses.write(updates));
    });
  }
}
