package org.heard.paper;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.heard.sms.TextBack;
import org.heard.store.Documents;
import org.heard.store.StoreErrors;
import org.heard.store.GuardIndex;

/**
 * The {@code paper_entries} collection, for surveys with double entry: one document per survey and
 * serial ({@code _id} = survey/serial, so the primary key claims a serial atomically) holding the
 * first and second keyings until they agree or a third person resolves them. Its state only moves
 * forward, each step a conditional update.
 */
public final class EntryStore {
  public static final String COLLECTION = "paper_entries";

  public enum State {
    AWAITING_SECOND, MISMATCH, VERIFIED;

    public String key() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static State fromKey(String key) {
      return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** One keying: who, when, in which batch, and what they typed (as read). */
  public record Keying(String by, Instant at, String batchId, PaperAnswers answers) {
  }

  public record Entry(String surveyId, String serial, State state, Keying first, Keying second,
      List<String> mismatches, PaperAnswers resolved, String resolvedBy, String responseId) {
  }

  private final MongoClient mongo;

  public EntryStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  static String id(String surveyId, String serial) {
    return surveyId + "/" + serial;
  }

  /** Records a first keying; false if the serial already has an entry. */
  /** The index erasure and retention find a response's keyings by, and the waiting list's. Run at start-up. */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("responseId", 1),
            new IndexOptions().name("response").sparse(true))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("surveyId", 1).put("state", 1),
            new IndexOptions().name("survey_state")))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("contactKeys", 1),
            new IndexOptions().name("contact_keys").sparse(true)))
        .compose(v -> GuardIndex.on(mongo, COLLECTION, "state"))
        // An entry makes one response and a response comes from one entry: unique, so the embedded store uses it.
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("responseId", 1),
            new IndexOptions().name("response_id").unique(true).sparse(true)));
  }

  public Future<Boolean> insertFirst(String surveyId, String serial, Keying first) {
    JsonObject document = new JsonObject()
        .put("_id", id(surveyId, serial))
        .put("surveyId", surveyId)
        .put("serial", serial)
        .put("state", State.AWAITING_SECOND.key())
        .put("first", keying(first))
        .put("contactKeys", contactKeys(first.answers()));
    return mongo.insert(COLLECTION, document).map(id -> true)
        .recover(error -> StoreErrors.isDuplicateKey(error) ? Future.succeededFuture(false) : Future.failedFuture(error));
  }

  public Future<Optional<Entry>> find(String surveyId, String serial) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", id(surveyId, serial)), null)
        .map(d -> Optional.ofNullable(d).map(EntryStore::fromDocument));
  }

  /** Adds the second keying if the entry still awaits one; false if someone else got there first. */
  public Future<Boolean> addSecond(String surveyId, String serial, Keying second, List<String> mismatches) {
    State next = mismatches.isEmpty() ? State.VERIFIED : State.MISMATCH;
    JsonObject set = new JsonObject().put("state", next.key()).put("second", keying(second))
        .put("mismatches", new JsonArray(mismatches));
    return advance(surveyId, serial, State.AWAITING_SECOND, set, contactKeys(second.answers()));
  }

  public Future<Boolean> resolve(String surveyId, String serial, PaperAnswers resolved, String by) {
    JsonObject set = new JsonObject().put("state", State.VERIFIED.key()).put("resolved", answers(resolved))
        .put("resolvedBy", by);
    return advance(surveyId, serial, State.MISMATCH, set, contactKeys(resolved));
  }

  public Future<Void> setResponse(String surveyId, String serial, String responseId) {
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", id(surveyId, serial)),
        new JsonObject().put("$set", new JsonObject().put("responseId", responseId))).mapEmpty();
  }

  /** Entries of a survey in one state, oldest first. */
  public Future<List<Entry>> inState(String surveyId, State state) {
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("surveyId", surveyId).put("state", state.key()),
            new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(500))
        .map(found -> found.stream().map(EntryStore::fromDocument).toList());
  }

  private Future<Boolean> advance(String surveyId, String serial, State from, JsonObject set, JsonArray newKeys) {
    JsonObject update = new JsonObject().put("$set", set);
    if (!newKeys.isEmpty()) {
      update.put("$addToSet", new JsonObject().put("contactKeys", new JsonObject().put("$each", newKeys)));
    }
    return mongo.updateCollection(COLLECTION,
            new JsonObject().put("_id", id(surveyId, serial)).put("state", from.key()), update)
        .map(result -> result.getDocMatched() == 1);
  }

  private static JsonObject keying(Keying k) {
    return new JsonObject().put("by", k.by()).put("at", Documents.date(k.at())).put("batchId", k.batchId())
        .put("answers", answers(k.answers()));
  }

  private static JsonObject answers(PaperAnswers a) {
    return new JsonObject().put("answers", new JsonObject(new LinkedHashMap<>(a.answers())))
        .put("marks", new JsonObject(a.markKeys())).put("complete", a.complete())
        .put("contacts", TextBack.Contact.toDocument(a.contacts()));
  }

  /** The respondent keys of the numbers in a keying, kept beside the keyings so an erasure by number finds them. */
  private static JsonArray contactKeys(PaperAnswers a) {
    return new JsonArray(a.contacts().values().stream().map(TextBack.Contact::respondentKey).distinct().toList());
  }

  private static PaperAnswers answersFrom(JsonObject d) {
    if (d == null) {
      return null;
    }
    Map<String, PaperCodes.Mark> marks = new LinkedHashMap<>();
    Documents.plainMap(d.getJsonObject("marks")).forEach((k, v) -> marks.put(k, PaperCodes.Mark.fromKey((String) v)));
    return new PaperAnswers(Documents.plainMap(d.getJsonObject("answers")), marks, d.getBoolean("complete", true),
        TextBack.Contact.fromDocument(d.getJsonObject("contacts")));
  }

  private static Keying keyingFrom(JsonObject d) {
    return d == null ? null : new Keying(d.getString("by"), Documents.instant(d.getJsonObject("at")),
        d.getString("batchId"), answersFrom(d.getJsonObject("answers")));
  }

  private static Entry fromDocument(JsonObject d) {
    return new Entry(d.getString("surveyId"), d.getString("serial"), State.fromKey(d.getString("state")),
        keyingFrom(d.getJsonObject("first")), keyingFrom(d.getJsonObject("second")),
        d.getJsonArray("mismatches", new JsonArray()).stream().map(String::valueOf).toList(),
        answersFrom(d.getJsonObject("resolved")), d.getString("resolvedBy"), d.getString("responseId"));
  }

  /**
   * Retention: removes the free-text answers (and their marks) and the numbers written for texting
   * back from every keying of the response's paper form, as from the response and the SMS record;
   * the closed answers stay for the record.
   */
  public Future<Void> trimText(String responseId, List<String> textQuestions) {
    JsonObject unset = new JsonObject().put("contactKeys", "");
    for (String keying : List.of("first.answers", "second.answers", "resolved")) {
      unset.put(keying + ".contacts", "");
      for (String question : textQuestions) {
        unset.put(keying + ".answers." + question, "").put(keying + ".marks." + question, "");
      }
    }
    return mongo.updateCollection(COLLECTION, new JsonObject().put("responseId", responseId),
        new JsonObject().put("$unset", unset)).mapEmpty();
  }

  /**
   * Deletes the keyings that became these responses, and those (verified or not) holding this
   * respondent's number (an erasure; {@code respondentKey} may be null).
   */
  public Future<Void> removeFor(Collection<String> responseIds, String respondentKey) {
    JsonArray or = new JsonArray();
    if (!responseIds.isEmpty()) {
      or.add(new JsonObject().put("responseId", new JsonObject().put("$in", new JsonArray(new ArrayList<>(responseIds)))));
    }
    if (respondentKey != null) {
      or.add(new JsonObject().put("contactKeys", respondentKey));
    }
    if (or.isEmpty()) {
      return Future.succeededFuture();
    }
    return mongo.removeDocuments(COLLECTION, new JsonObject().put("$or", or)).mapEmpty();
  }
}
