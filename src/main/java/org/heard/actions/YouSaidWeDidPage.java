package org.heard.actions;

import com.ibm.icu.text.DateFormat;
import com.ibm.icu.util.ULocale;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.http.PublicPages;
import org.heard.i18n.Messages;
import org.heard.survey.LocalizedText;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;

/** {@code GET /you-said-we-did}: what the partnership did about what it heard, for everyone. */
public final class YouSaidWeDidPage {
  private final SurveyCatalog catalog;
  private final ActionStore actions;
  private final PublicPages pages;
  private final Messages messages;

  public YouSaidWeDidPage(SurveyCatalog catalog, ActionStore actions, PublicPages pages) {
    this.catalog = catalog;
    this.actions = actions;
    this.pages = pages;
    this.messages = pages.messages();
  }

  /** The public "you said, we did" page: published actions by survey and theme, in the resident's language. */
  public void show(RoutingContext ctx) {
    String lang = pages.interfaceLanguage(ctx, null);
    actions.published().onFailure(ctx::fail).onSuccess(published -> {
      Map<String, Object> model = pages.layout(ctx, lang, messages.get(lang, "ysd.title"), "/you-said-we-did");
      model.put("intro", messages.get(lang, "ysd.intro"));
      model.put("none", messages.get(lang, "ysd.none"));
      Map<String, List<Map<String, Object>>> bySurvey = new LinkedHashMap<>();
      Map<String, String> titles = new LinkedHashMap<>();
      for (JsonObject action : published) {
        SurveyDefinition survey = catalog.find(action.getString("surveyId")).orElse(null);
        if (survey == null) {
          continue;
        }
        LocalizedText.Localized title = survey.title().in(lang, survey.defaultLanguage());
        titles.put(survey.id(), title.text());
        JsonObject summaries = action.getJsonObject("summaries", new JsonObject());
        String summaryLanguage = summaries.isEmpty() ? lang
            : ActionService.textLanguage(summaries, lang, survey.defaultLanguage());
        Map<String, Object> row = new HashMap<>();
        // The heading staff wrote in this language, else in the survey's first; the English machine
        // label of the theme only when there is no heading at all.
        JsonObject headings = action.getJsonObject("headings", new JsonObject());
        String headingLanguage = headings.containsKey(lang) ? lang
            : headings.containsKey(survey.defaultLanguage()) ? survey.defaultLanguage() : null;
        row.put("theme", headingLanguage != null ? headings.getString(headingLanguage) : action.getString("themeLabel", ""));
        String shownIn = headingLanguage != null ? headingLanguage : Messages.DEFAULT_LANGUAGE;
        row.put("themeLang", shownIn.equals(lang) ? null : shownIn);
        row.put("summary", summaries.getString(summaryLanguage, ""));
        row.put("summaryLang", summaryLanguage.equals(lang) ? null : summaryLanguage);
        row.put("status", messages.get(lang, "ysd.status." + action.getString("status")));
        row.put("agency", action.getString("agency"));
        row.put("date", localDate(action.getString("date"), lang));
        row.put("statusLabel", messages.get(lang, "ysd.statusLabel"));
        row.put("byLabel", messages.get(lang, "ysd.by"));
        bySurvey.computeIfAbsent(survey.id(), k -> new ArrayList<>()).add(row);
      }
      List<Map<String, Object>> surveys = new ArrayList<>();
      bySurvey.forEach((id, rows) -> surveys.add(Map.of("title", titles.get(id), "actions", rows)));
      model.put("surveys", surveys);
      model.put("hasActions", !surveys.isEmpty());
      pages.html(ctx, 200, "you-said-we-did", model);
    });
  }

  /** "1 November 2026", "1 listopada 2026", "١ نوفمبر ٢٠٢٦": the date as the resident's language writes it. */
  private static String localDate(String iso, String lang) {
    try {
      LocalDate date = LocalDate.parse(iso);
      com.ibm.icu.util.Calendar calendar = com.ibm.icu.util.Calendar.getInstance(com.ibm.icu.util.TimeZone.GMT_ZONE);
      calendar.clear();
      calendar.set(date.getYear(), date.getMonthValue() - 1, date.getDayOfMonth());
      // The partnerships are in the UK: "20 November 2026" in English, not the US order.
      return DateFormat.getDateInstance(DateFormat.LONG, new ULocale(lang + "_GB")).format(calendar.getTime());
    } catch (RuntimeException notADate) {
      return iso;
    }
  }
}
