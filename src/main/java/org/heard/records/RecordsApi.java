package org.heard.records;

import io.vertx.ext.web.RoutingContext;
import org.heard.http.Json;
import org.heard.http.StaffGate;

/** {@code GET /api/v1/staff/responses/{id}}: one stored response for an analyst. */
public final class RecordsApi {
  private final ResponseRecords records;

  public RecordsApi(ResponseRecords records) {
    this.records = records;
  }

  /** One response with its provenance and correction history; the read is audited first. */
  public void response(RoutingContext ctx) {
    records.view(StaffGate.user(ctx), ctx.pathParam("responseId"))
        .onFailure(ctx::fail)
        .onSuccess(json -> Json.send(ctx, 200, json));
  }
}
