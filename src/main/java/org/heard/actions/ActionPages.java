package org.heard.actions;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.heard.auth.StaffUser;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.StaffGate;
import org.heard.http.StaffView;
import org.heard.sms.SmsSegments;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.heard.themes.ThemeService;

/**
 * "You said, we did" for analysts: the actions of a survey, a form to record one against a theme
 * (what, which agency, status, date, public summary per language), editing and publishing.
 */
public final class ActionPages {
  private final StaffView view;
  private final SurveyCatalog catalog;
  private final ActionService actions;
  private final ThemeService themes;

  public ActionPages(StaffView view, SurveyCatalog catalog, ActionService actions, ThemeService themes) {
    this.view = view;
    this.catalog = catalog;
    this.actions = actions;
    this.themes = themes;
  }

  /** {@code GET /staff/actions?survey=}: the survey's actions and the form for a new one. */
  public void list(RoutingContext ctx) {
    SurveyDefinition survey = survey(ctx.request().getParam("survey"));
    render(ctx, 200, survey, Map.of(), List.of());
  }

  public void create(RoutingContext ctx) {
    SurveyDefinition survey = survey(ctx.request().getFormAttribute("surveyId"));
    StaffUser user = StaffGate.user(ctx);
    ActionService.Form form = form(ctx, survey);
    Future.<JsonObject>future(p -> actions.create(user, form).onComplete(p))
        .onSuccess(action -> StaffView.seeOther(ctx, "/staff/actions/" + action.getString("_id") + "?done=created"))
        .onFailure(error -> {
          if (error instanceof HeardException.Invalid invalid) {
            render(ctx, 422, survey, submitted(ctx, survey), invalid.fieldErrors());
          } else {
            ctx.fail(error);
          }
        });
  }

  /** {@code GET /staff/actions/{id}}: edit or publish one action. */
  public void show(RoutingContext ctx) {
    actions.store().find(ctx.pathParam("actionId")).onFailure(ctx::fail).onSuccess(action -> {
      if (action == null) {
        ctx.fail(new HeardException.NotFound("unknown-action", "There is no action with that id."));
        return;
      }
      String done = ctx.request().getParam("done");
      renderAction(ctx, 200, action, done == null ? null : switch (done) {
        case "created" -> "Action recorded. Publish it when the summary is ready for residents.";
        case "published" -> "Published: it is on the public “You said, we did” page, and people who agreed to be texted are being sent the summary.";
        default -> "Saved.";
      }, List.of());
    });
  }

  public void update(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    String id = ctx.pathParam("actionId");
    int version;
    try {
      version = Integer.parseInt(ctx.request().getFormAttribute("version"));
    } catch (NumberFormatException e) {
      ctx.fail(new HeardException.BadRequest("invalid-form", "The form is missing its version; reload the page."));
      return;
    }
    boolean publish = "publish".equals(ctx.request().getFormAttribute("do"));
    actions.store().find(id).compose(existing -> {
      if (existing == null) {
        return Future.failedFuture(new HeardException.NotFound("unknown-action", "There is no action with that id."));
      }
      if (publish) {
        return actions.publish(user, id, version).map("published");
      }
      SurveyDefinition survey = survey(existing.getString("surveyId"));
      return Future.<JsonObject>future(p -> actions.update(user, id, version, form(ctx, survey)).onComplete(p)).map("saved");
    }).onSuccess(done -> StaffView.seeOther(ctx, "/staff/actions/" + id + "?done=" + done))
        .onFailure(error -> {
          if (error instanceof HeardException.Invalid invalid) {
            actions.store().find(id).onSuccess(action -> renderAction(ctx, 422, action, null, invalid.fieldErrors()));
          } else {
            ctx.fail(error);
          }
        });
  }

  private SurveyDefinition survey(String id) {
    if (id == null || id.isBlank()) {
      return catalog.all().get(0);
    }
    return catalog.require(id);
  }

  private ActionService.Form form(RoutingContext ctx, SurveyDefinition survey) {
    Map<String, String> summaries = new LinkedHashMap<>();
    Map<String, String> headings = new LinkedHashMap<>();
    for (String language : survey.languages()) {
      summaries.put(language, ctx.request().getFormAttribute("summary_" + language));
      headings.put(language, ctx.request().getFormAttribute("heading_" + language));
    }
    String themeId = ctx.request().getFormAttribute("themeId");
    String label = themes.labels(survey.id()).getOrDefault(themeId == null ? "" : themeId,
        ctx.request().getFormAttribute("themeLabel"));
    return new ActionService.Form(survey.id(), themeId, label, ctx.request().getFormAttribute("what"),
        ctx.request().getFormAttribute("agency"), ctx.request().getFormAttribute("status"),
        ctx.request().getFormAttribute("date"), summaries, headings);
  }

  private static Map<String, Object> submitted(RoutingContext ctx, SurveyDefinition survey) {
    Map<String, Object> values = new HashMap<>();
    for (String field : List.of("themeId", "what", "agency", "status", "date")) {
      String value = ctx.request().getFormAttribute(field);
      values.put(field, value == null ? "" : value);
    }
    survey.languages().forEach(l -> values.put("summary_" + l, ctx.request().getFormAttribute("summary_" + l)));
    survey.languages().forEach(l -> values.put("heading_" + l, ctx.request().getFormAttribute("heading_" + l)));
    return values;
  }

  private void render(RoutingContext ctx, int status, SurveyDefinition survey, Map<String, Object> values,
                      List<FieldError> errors) {
    themes.model(survey.id()).otherwiseEmpty().compose(model -> actions.store().forSurvey(survey.id()))
        .onFailure(ctx::fail)
        .onSuccess(list -> {
          Map<String, Object> model = view.model(ctx, "You said, we did");
          model.put("surveyId", survey.id());
          model.put("surveyTitle", survey.title().in("en", survey.defaultLanguage()).text());
          model.put("surveys", catalog.all().stream().map(s -> Map.of("id", s.id(),
              "title", s.title().in("en", s.defaultLanguage()).text(), "selected", s.id().equals(survey.id()))).toList());
          List<Map<String, Object>> rows = new ArrayList<>();
          for (JsonObject action : list) {
            rows.add(Map.of("id", action.getString("_id"), "theme", action.getString("themeLabel", ""),
                "what", action.getString("what"), "agency", action.getString("agency"),
                "status", ActionService.statusName(action.getString("status")), "date", action.getString("date"),
                "published", action.getBoolean("published", false) ? "Published" : "Not published"));
          }
          model.put("actions", rows);
          model.put("hasActions", !rows.isEmpty());
          model.put("form", formModel(survey, values, null));
          model.put("script", "segments.js");
          StaffView.errors(model, errors);
          view.send(ctx, status, "staff-actions", model);
        });
  }

  private Map<String, Object> formModel(SurveyDefinition survey, Map<String, Object> values, String selectedTheme) {
    Map<String, Object> form = new HashMap<>(values);
    String chosen = selectedTheme != null ? selectedTheme : (String) values.getOrDefault("themeId", "");
    List<Map<String, Object>> themeOptions = new ArrayList<>();
    themes.labels(survey.id()).forEach((id, label) -> themeOptions.add(Map.of("id", id, "label", label,
        "selected", id.equals(chosen))));
    form.put("themes", themeOptions);
    String status = (String) values.getOrDefault("status", "planned");
    form.put("statuses", List.of(
        Map.of("value", "planned", "label", "Planned", "checked", "planned".equals(status)),
        Map.of("value", "in_progress", "label", "In progress", "checked", "in_progress".equals(status)),
        Map.of("value", "done", "label", "Done", "checked", "done".equals(status))));
    List<Map<String, Object>> summaries = new ArrayList<>();
    for (String lang : survey.languages()) {
      Object value = values.get("summary_" + lang);
      Object heading = values.get("heading_" + lang);
      String text = value == null ? "" : value.toString();
      summaries.add(Map.of("language", lang, "name", new Locale(lang).getDisplayLanguage(Locale.ENGLISH),
          "value", text, "heading", heading == null ? "" : heading.toString(), "smsPrefix", actions.followUpPrefix(lang),
          "smsCount", segmentsText(actions.followUpCost(lang, text))));
    }
    form.put("summaries", summaries);
    return form;
  }

  /** What the text costs, as the live counter (webroot/segments.js) also says it. */
  private static String segmentsText(SmsSegments.Count count) {
    return "As a text message: " + count.segments() + (count.segments() == 1 ? " segment" : " segments") + " ("
        + (count.encoding() == SmsSegments.Encoding.GSM7 ? "GSM-7" : "Unicode") + ", " + count.units()
        + " characters). Past 2 segments it is cut at a word.";
  }

  private void renderAction(RoutingContext ctx, int status, JsonObject action, String flash,
                            List<FieldError> errors) {
    SurveyDefinition survey = survey(action.getString("surveyId"));
    Map<String, Object> model = view.model(ctx, "Action");
    if (flash != null) {
      model.put("flash", flash);
    }
    Map<String, Object> values = new HashMap<>();
    for (String field : List.of("themeId", "what", "agency", "status", "date")) {
      values.put(field, action.getString(field, ""));
    }
    JsonObject summaries = action.getJsonObject("summaries", new JsonObject());
    JsonObject headings = action.getJsonObject("headings", new JsonObject());
    survey.languages().forEach(l -> values.put("summary_" + l, summaries.getString(l, "")));
    survey.languages().forEach(l -> values.put("heading_" + l, headings.getString(l, "")));
    model.put("form", formModel(survey, values, action.getString("themeId")));
    model.put("script", "segments.js");
    model.put("action", Map.of("id", action.getString("_id"), "version", action.getInteger("version"),
        "theme", action.getString("themeLabel", ""), "published", action.getBoolean("published", false),
        "surveyId", survey.id(), "history", action.getJsonArray("history").size()));
    StaffView.errors(model, errors);
    view.send(ctx, status, "staff-action", model);
  }
}
