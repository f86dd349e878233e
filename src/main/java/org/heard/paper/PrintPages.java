package org.heard.paper;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import org.heard.i18n.Messages;
import org.heard.survey.SurveyDefinition;

/**
 * {@code GET /staff/surveys/{id}/paper.pdf?lang=&large=&batch=} and {@code .../poster.pdf?lang=&large=}:
 * the print-ready paper form (a batch's copies with their serials) and the poster, as PDFs.
 */
public final class PrintPages {
  private final PaperEntryService entry;
  private final PaperPrints prints;
  private final Messages messages;

  public PrintPages(PaperEntryService entry, PaperPrints prints, Messages messages) {
    this.entry = entry;
    this.prints = prints;
    this.messages = messages;
  }

  public void paperForm(RoutingContext ctx) {
    SurveyDefinition survey = entry.paperSurvey(ctx.pathParam("surveyId"));
    String batchId = ctx.request().getParam("batch");
    boolean large = isLarge(ctx);
    Future<Batch> batch = batchId == null || batchId.isBlank() ? Future.succeededFuture(null)
        : entry.batch(survey.id(), batchId);
    batch.compose(b -> prints.paperForm(survey, new PaperPrints.Request(ctx.request().getParam("lang"), large, b)))
        .onSuccess(pdf -> send(ctx, pdf, survey.id() + "-paper-form" + suffix(ctx, large)
            + (batchId == null || batchId.isBlank() ? "" : "-" + batchId)))
        .onFailure(ctx::fail);
  }

  public void poster(RoutingContext ctx) {
    SurveyDefinition survey = entry.paperSurvey(ctx.pathParam("surveyId"));
    boolean large = isLarge(ctx);
    prints.poster(survey, ctx.request().getParam("lang"), large)
        .onSuccess(pdf -> send(ctx, pdf, survey.id() + "-poster" + suffix(ctx, large)))
        .onFailure(ctx::fail);
  }

  /** Links to print a survey's forms and posters in each of its languages, for its paper entry page. */
  List<Map<String, Object>> printLinks(SurveyDefinition survey, String batchId) {
    String base = "/staff/surveys/" + survey.id();
    String batch = batchId == null ? "" : "&batch=" + batchId;
    return survey.languages().stream().map(lang -> Map.<String, Object>of(
        "language", messages.name(lang), "lang", lang,
        "form", base + "/paper.pdf?lang=" + lang + batch,
        "large", base + "/paper.pdf?lang=" + lang + "&large=1" + batch,
        "poster", base + "/poster.pdf?lang=" + lang)).toList();
  }

  private static boolean isLarge(RoutingContext ctx) {
    String large = ctx.request().getParam("large");
    return "1".equals(large) || "true".equals(large);
  }

  private static String suffix(RoutingContext ctx, boolean large) {
    String lang = ctx.request().getParam("lang");
    return (lang == null || !lang.matches("[a-z]{2,3}") ? "" : "-" + lang) + (large ? "-large-print" : "");
  }

  private static void send(RoutingContext ctx, byte[] pdf, String name) {
    ctx.response().putHeader("Content-Type", "application/pdf")
        .putHeader("Content-Disposition", "inline; filename=\"" + name + ".pdf\"")
        .end(Buffer.buffer(pdf));
  }
}
