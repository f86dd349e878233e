package org.heard.spool;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A spool record's body as written to disk and read back with the same types. JSON text has one
 * kind of number, so a 64-bit whole number that fits 32 bits would come back as an Integer and be
 * stored as Int32 after a crash where the live insert stored Int64. Longs are therefore written
 * tagged, as MongoDB's Extended JSON writes them: {@code {"$numberLong": "5"}}.
 */
final class SpoolJson {
  private static final String LONG = "$numberLong";

  private SpoolJson() {
  }

  static JsonObject encode(JsonObject body) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> field : body) {
      out.put(field.getKey(), encodeValue(field.getValue()));
    }
    return out;
  }

  static JsonObject decode(JsonObject body) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> field : body) {
      out.put(field.getKey(), decodeValue(field.getValue()));
    }
    return out;
  }

  private static Object encodeValue(Object value) {
    if (value instanceof Long number) {
      return new JsonObject().put(LONG, number.toString());
    }
    if (value instanceof JsonObject object) {
      return encode(object);
    }
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(item -> out.add(encodeValue(item)));
      return out;
    }
    return value;
  }

  private static Object decodeValue(Object value) {
    if (value instanceof JsonObject object) {
      if (object.size() == 1 && object.getValue(LONG) instanceof String digits) {
        return Long.parseLong(digits);
      }
      return decode(object);
    }
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(item -> out.add(decodeValue(item)));
      return out;
    }
    return value;
  }
}
