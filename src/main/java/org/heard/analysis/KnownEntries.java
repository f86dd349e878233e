package org.heard.analysis;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The queue entries an instance believes pending, each with the {@code notBefore} it last saw, in the
 * order it learnt of them; and when it may next read the pending entries from the store. Claims
 * come from several event loops, hence the lock.
 */
final class KnownEntries {
  private final LinkedHashMap<String, Long> entries = new LinkedHashMap<>();
  private final long refreshMs;
  private long refreshedAt = Long.MIN_VALUE / 2;

  KnownEntries(long refreshMs) {
    this.refreshMs = refreshMs;
  }

  synchronized void add(String id, long notBefore) {
    entries.put(id, notBefore);
  }

  /** Takes out the first entry due by {@code now}, or null; entries not yet due stay. */
  synchronized Map.Entry<String, Long> nextDue(long now) {
    Iterator<Map.Entry<String, Long>> each = entries.entrySet().iterator();
    while (each.hasNext()) {
      Map.Entry<String, Long> entry = each.next();
      if (entry.getValue() <= now) {
        each.remove();
        return Map.entry(entry.getKey(), entry.getValue());
      }
    }
    return null;
  }

  synchronized boolean anyDue(long now) {
    return entries.values().stream().anyMatch(notBefore -> notBefore <= now);
  }

  /** Whether the pending entries may be read now (then not again for a while). */
  synchronized boolean mayRefresh(long now) {
    if (now - refreshedAt < refreshMs) {
      return false;
    }
    refreshedAt = now;
    return true;
  }
}
