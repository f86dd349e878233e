package org.heard.erasure;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.heard.error.ClientText;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.Json;
import org.heard.http.StaffGate;

/** {@code POST /api/v1/erasures}: an administrator erases one respondent or one response. */
public final class ErasureApi {
  private final ErasureService erasure;

  public ErasureApi(ErasureService erasure) {
    this.erasure = erasure;
  }

  /** {@code POST /api/v1/erasures} with one of phoneNumber, respondentKey, responseId. */
  public void erase(RoutingContext ctx) {
    Object parsed = ctx.body().buffer() == null ? null : Json.decodeStrict(ctx.body().buffer());
    if (!(parsed instanceof JsonObject body)) {
      throw new HeardException.BadRequest("body-not-an-object",
          "Send a JSON object with one of phoneNumber, respondentKey or responseId.");
    }
    for (String field : body.fieldNames()) {
      if (!List.of("phoneNumber", "respondentKey", "responseId").contains(field) || !(body.getValue(field) instanceof String)) {
        throw new HeardException.Invalid("invalid-request", "The request body does not have the expected fields.",
            List.of(new FieldError(ClientText.shorten(field), "unknown_field",
                "must be one of phoneNumber, respondentKey, responseId, as text")));
      }
    }
    erasure.erase(StaffGate.user(ctx), new ErasureService.Request(body.getString("phoneNumber"),
            body.getString("respondentKey"), body.getString("responseId")))
        .onFailure(ctx::fail)
        .onSuccess(erased -> Json.send(ctx, 200, new JsonObject()
            .put("responses", new JsonArray(erased.responseIds()))
            .put("smsRecord", erased.smsRecord())));
  }
}
