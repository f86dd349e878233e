package org.heard.preview;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.heard.http.StaffView;
import org.heard.i18n.Messages;
import org.heard.sms.SmsTranscript;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.heard.survey.SurveyPages;

/**
 * {@code GET /staff/preview} and {@code GET /staff/surveys/{id}/preview?lang=}: a survey as each
 * channel shows it, before it opens: every web page as residents see it (framed from the web form's
 * own preview), the whole SMS conversation with each message's segments, and the paper form PDF.
 */
public final class PreviewPages {
  private final StaffView view;
  private final SurveyCatalog catalog;
  private final SmsTranscript sms;
  private final Messages messages;

  public PreviewPages(StaffView view, SurveyCatalog catalog, SmsTranscript sms, Messages messages) {
    this.view = view;
    this.catalog = catalog;
    this.sms = sms;
    this.messages = messages;
  }

  public void list(RoutingContext ctx) {
    Map<String, Object> model = view.model(ctx, "Survey previews");
    List<Map<String, Object>> surveys = new ArrayList<>();
    for (SurveyDefinition survey : catalog.all()) {
      surveys.add(Map.of("id", survey.id(), "title", survey.title().in("en", survey.defaultLanguage()).text()));
    }
    model.put("surveys", surveys);
    view.send(ctx, "staff-previews", model);
  }

  public void survey(RoutingContext ctx) {
    SurveyDefinition survey = catalog.require(ctx.pathParam("surveyId"));
    String lang = survey.languageOrDefault(ctx.request().getParam("lang"));
    String title = survey.title().in(lang, survey.defaultLanguage()).text();
    Map<String, Object> model = view.model(ctx, "Preview: " + title);
    String base = "/staff/surveys/" + survey.id();
    model.put("surveyTitle", title);
    model.put("titleLang", survey.title().in(lang, survey.defaultLanguage()).language());
    model.put("languageName", messages.name(lang));
    model.put("languages", survey.languages().stream().map(code -> Map.<String, Object>of("name", messages.name(code),
        "url", base + "/preview?lang=" + code, "current", code.equals(lang))).toList());
    model.put("web", survey.channels().web());
    List<SurveyPages.Page> webPages = SurveyPages.split(survey);
    List<Map<String, Object>> pages = new ArrayList<>();
    for (int n = 1; n <= webPages.size(); n++) {
      pages.add(Map.of("number", n, "of", webPages.size(), "url", base + "/preview/page/" + n + "?lang=" + lang));
    }
    model.put("pages", pages);
    List<Map<String, Object>> messagesShown = new ArrayList<>();
    int segments = 0;
    for (SmsTranscript.Message message : sms.conversation(survey, lang)) {
      Map<String, Object> row = new HashMap<>();
      row.put("who", message.fromResident() ? "Resident" : "Heard");
      row.put("text", message.text());
      row.put("note", message.note());
      if (message.count() != null) {
        segments += message.count().segments();
        row.put("segments", message.count().segments() + (message.count().segments() == 1 ? " segment" : " segments")
            + " (" + message.count().units() + " " + (message.count().encoding().name().equals("GSM7") ? "GSM-7 characters"
            : "UCS-2 units") + ")");
      }
      messagesShown.add(row);
    }
    model.put("sms", messagesShown);
    model.put("hasSms", !messagesShown.isEmpty());
    model.put("smsSegments", segments);
    model.put("previewLang", lang);
    model.put("previewDir", messages.isRightToLeft(lang) ? "rtl" : "ltr");
    if (survey.channels().paper() != null) {
      model.put("paperForm", base + "/paper.pdf?lang=" + lang);
      model.put("paperLarge", base + "/paper.pdf?lang=" + lang + "&large=1");
      model.put("poster", base + "/poster.pdf?lang=" + lang);
    }
    view.send(ctx, "staff-preview", model);
  }
}
