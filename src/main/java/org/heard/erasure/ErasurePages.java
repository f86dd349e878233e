package org.heard.erasure;

import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import org.heard.error.HeardException;
import org.heard.http.StaffGate;
import org.heard.http.StaffView;

/** The administrator's erasure page: erase everything held about one respondent or one response. */
public final class ErasurePages {
  private final StaffView view;
  private final ErasureService erasure;

  public ErasurePages(StaffView view, ErasureService erasure) {
    this.view = view;
    this.erasure = erasure;
  }

  public void erasureForm(RoutingContext ctx) {
    Map<String, Object> model = view.model(ctx, "Erase a respondent's data");
    StaffView.errors(model, List.of());
    view.send(ctx, "staff-erasure", model);
  }

  public void erase(RoutingContext ctx) {
    ErasureService.Request request = new ErasureService.Request(ctx.request().getFormAttribute("phoneNumber"),
        ctx.request().getFormAttribute("respondentKey"), ctx.request().getFormAttribute("responseId"));
    erasure.erase(StaffGate.user(ctx), request)
        .onSuccess(erased -> {
          Map<String, Object> model = view.model(ctx, "Erased");
          model.put("heading", "Erased");
          model.put("text", erased.responseIds().size() + " responses" + (erased.smsRecord()
              ? " and the text-message record (conversation, consent, contact details)" : "")
              + " were erased. The erasure is in the audit log.");
          model.put("linkUrl", "/staff/erasure");
          model.put("linkText", "Erase something else");
          view.send(ctx, "staff-notice", model);
        })
        .onFailure(error -> {
          if (error instanceof HeardException.Invalid invalid) {
            Map<String, Object> model = view.model(ctx, "Erase a respondent's data");
            model.put("respondentKey", nn(request.respondentKey()));
            model.put("responseId", nn(request.responseId()));
            StaffView.errors(model, invalid.fieldErrors());
            view.send(ctx, 422, "staff-erasure", model);
          } else {
            ctx.fail(error);
          }
        });
  }

  private static String nn(String value) {
    return value == null ? "" : value;
  }
}
