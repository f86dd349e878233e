package org.heard.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.heard.error.FieldError;

/**
 * An RFC 9457 problem detail: what went wrong, for whom to fix it, and each field at fault.
 *
 * @param type a short name, published as {@code urn:heard:problem:<type>}
 */
public record Problem(int status, String type, String title, String detail, List<FieldError> errors) {
  public static final String CONTENT_TYPE = "application/problem+json";

  public Problem {
    errors = List.copyOf(errors);
  }

  public JsonObject toJson(String instance) {
    JsonObject json = new JsonObject()
        .put("type", "urn:heard:problem:" + type)
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .put("instance", instance);
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      errors.forEach(e -> list.add(new JsonObject().put("field", e.field()).put("code", e.code())
          .put("message", e.message())));
      json.put("errors", list);
    }
    return json;
  }
}
