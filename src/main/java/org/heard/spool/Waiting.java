package org.heard.spool;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The spool's records not yet settled, in order, and indexed by the response id they carry (if
 * any), so a channel can ask whether an idempotency key is already waiting, and with what; and by
 * respondent key, so nothing is texted to a number whose messages (a STOP, perhaps) still wait. Not
 * thread-safe: the spool holds its lock around every call.
 */
final class Waiting {
  private final TreeMap<Long, Spool.Entry> bySeq = new TreeMap<>();
  private final Map<String, Spool.Entry> byId = new HashMap<>();
  private final Map<String, Spool.Entry> byRespondent = new HashMap<>();

  void put(Spool.Entry entry) {
    bySeq.put(entry.seq(), entry);
    index(byId, "id", entry);
    index(byRespondent, "respondentKey", entry);
  }

  private static void index(Map<String, Spool.Entry> map, String field, Spool.Entry entry) {
    Object value = entry.body().getValue(field);
    if (value instanceof String key) {
      map.put(key, entry);
    }
  }

  private static void unindex(Map<String, Spool.Entry> map, String field, Spool.Entry entry) {
    Object value = entry.body().getValue(field);
    if (value instanceof String key && map.get(key) == entry) {
      // Records settle in order, so no earlier record with this key is still waiting.
      map.remove(key);
    }
  }

  /** Removes the record; returns whether it was waiting. */
  boolean remove(long seq) {
    Spool.Entry entry = bySeq.remove(seq);
    if (entry == null) {
      return false;
    }
    unindex(byId, "id", entry);
    unindex(byRespondent, "respondentKey", entry);
    return true;
  }

  void removeIf(Predicate<Spool.Entry> test) {
    new ArrayList<>(bySeq.values()).stream().filter(test).forEach(e -> remove(e.seq()));
  }

  /** The body of the latest waiting record carrying this response id, or null. */
  JsonObject withId(String id) {
    Spool.Entry entry = byId.get(id);
    return entry == null ? null : entry.body();
  }

  /** The body of the latest waiting record from this respondent key, or null. */
  JsonObject from(String respondentKey) {
    Spool.Entry entry = byRespondent.get(respondentKey);
    return entry == null ? null : entry.body();
  }

  List<Spool.Entry> inOrder() {
    return new ArrayList<>(bySeq.values());
  }

  int size() {
    return bySeq.size();
  }

  boolean isEmpty() {
    return bySeq.isEmpty();
  }
}
