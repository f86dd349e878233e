package org.heard.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Mapping between stored documents (as the Vert.x Mongo client sees them) and plain Java values. */
public final class Documents {
  private Documents() {
  }

  /** A BSON date, in the extended-JSON form the client writes as a real date (so ranges work). */
  public static JsonObject date(Instant instant) {
    return new JsonObject().put("$date", instant.toString());
  }

  public static Instant instant(JsonObject date) {
    return Instant.parse(date.getString("$date"));
  }

  /** A sub-document as plain Java values (lists for arrays) so records hold no JsonObject. */
  public static Map<String, Object> plainMap(JsonObject json) {
    Map<String, Object> result = new LinkedHashMap<>();
    if (json != null) {
      json.forEach(e -> result.put(e.getKey(),
          e.getValue() instanceof JsonArray array
              ? Collections.unmodifiableList(new ArrayList<>(array.getList())) : e.getValue()));
    }
    return result;
  }
}
