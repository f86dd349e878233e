package org.heard.digest;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Sums of digest count buckets, by dotted path ("channel.web", "ind.feel_safe_day.fav", ...). */
final class Totals {
  private final Map<String, Long> sums = new HashMap<>();

  static Totals of(List<JsonObject> buckets) {
    Totals totals = new Totals();
    buckets.forEach(bucket -> totals.add("", bucket));
    return totals;
  }

  private void add(String prefix, JsonObject object) {
    for (Map.Entry<String, Object> entry : object) {
      if (entry.getKey().equals("_id")) {
        continue;
      }
      String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
      if (entry.getValue() instanceof JsonObject nested) {
        add(path, nested);
      } else if (entry.getValue() instanceof Number number) {
        sums.merge(path, number.longValue(), Long::sum);
      }
    }
  }

  long get(String path) {
    return sums.getOrDefault(path, 0L);
  }

  /** The counts directly under a path, by the next name ("channel" gives web, sms, ...). */
  Map<String, Long> under(String path) {
    Map<String, Long> children = new TreeMap<>();
    String prefix = path + ".";
    sums.forEach((key, value) -> {
      if (key.startsWith(prefix) && key.indexOf('.', prefix.length()) < 0) {
        children.merge(CountFields.unfield(key.substring(prefix.length())), value, Long::sum);
      }
    });
    return children;
  }
}
