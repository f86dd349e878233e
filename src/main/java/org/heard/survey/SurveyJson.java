package org.heard.survey;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/** A survey definition as JSON for the API, with the same keys as the definition files. */
public final class SurveyJson {
  private SurveyJson() {
  }

  /** The short form used in survey lists. */
  public static JsonObject summary(SurveyDefinition survey, boolean open) {
    return new JsonObject()
        .put("id", survey.id())
        .put("version", survey.version())
        .put("title", text(survey.title()))
        .put("languages", new JsonArray(survey.languages()))
        .put("opens", survey.opens() == null ? null : survey.opens().toString())
        .put("closes", survey.closes() == null ? null : survey.closes().toString())
        .put("open", open)
        .put("channels", channels(survey.channels()));
  }

  /** The whole definition, everything a client needs to render and validate the survey. */
  public static JsonObject definition(SurveyDefinition survey, boolean open) {
    JsonObject json = summary(survey, open);
    putText(json, "description", survey.description());
    putText(json, "monitoring_intro", survey.monitoringIntro());
    JsonArray questions = new JsonArray();
    survey.questions().forEach(q -> questions.add(question(q)));
    return json.put("questions", questions);
  }

  private static JsonObject channels(SurveyChannels channels) {
    JsonObject json = new JsonObject().put("web", channels.web());
    if (channels.sms()) {
      JsonObject keywords = new JsonObject();
      channels.smsKeywords().forEach(k -> {
        JsonArray words = keywords.getJsonArray(k.language(), new JsonArray());
        keywords.put(k.language(), words.add(k.word()));
      });
      json.put("sms", new JsonObject().put("keywords", keywords));
    }
    if (channels.paper() != null) {
      json.put("paper", new JsonObject().put("form_code", channels.paperFormCode())
          .put("numbering", channels.paper().numbering().key()).put("double_entry", channels.paper().doubleEntry()));
    }
    return json;
  }

  private static JsonObject question(Question q) {
    JsonObject json = new JsonObject()
        .put("id", q.id())
        .put("type", q.type().key())
        .put("text", text(q.text()))
        .put("required", q.isRequired());
    putText(json, "hint", q.hint());
    putText(json, "sms", q.sms());
    putText(json, "section", q.section());
    if (q.min() != null) {
      json.put("min", wholeOrDecimal(q.min()));
    }
    if (q.max() != null) {
      json.put("max", wholeOrDecimal(q.max()));
    }
    if (q.wholeNumber()) {
      json.put("whole_number", true);
    }
    if (!q.labels().isEmpty()) {
      JsonObject labels = new JsonObject();
      new TreeMap<>(q.labels()).forEach((point, label) -> labels.put(String.valueOf(point), text(label)));
      json.put("labels", labels);
    }
    if (q.type().isChoice()) {
      JsonArray options = new JsonArray();
      q.options().forEach(o -> options.add(new JsonObject().put("value", o.value())
          .put("text", o.text() == null ? null : text(o.text()))
          .put("sms", o.sms() == null ? null : text(o.sms()))));
      json.put("options", options);
    }
    if (q.maxChoices() != null) {
      json.put("max_choices", q.maxChoices());
    }
    if (q.type() == QuestionType.TEXT) {
      json.put("max_length", q.effectiveMaxLength()).put("themes", q.themes());
    }
    if (q.showIf() != null) {
      json.put("show_if", new JsonObject().put("question", q.showIf().question())
          .put(q.showIf().includes() ? "includes" : "equals", q.showIf().value()));
    }
    if (q.monitoring()) {
      json.put("monitoring", true).put("prefer_not_to_say", Question.PREFER_NOT_TO_SAY);
    }
    if (q.indicator() != null) {
      json.put("indicator", indicator(q.indicator()));
    }
    return json;
  }

  private static Object wholeOrDecimal(double d) {
    return d == Math.rint(d) ? (Object) (long) d : d;
  }

  private static void putText(JsonObject json, String key, LocalizedText text) {
    if (text != null) {
      json.put(key, text(text));
    }
  }

  /** An indicator as the definition and the recorded versions hold it. */
  public static JsonObject indicator(Indicator indicator) {
    return new JsonObject().put("name", indicator.name()).put("favourable", new JsonArray(indicator.favourable()))
        .put("target", indicator.target());
  }

  private static JsonObject text(LocalizedText text) {
    return new JsonObject(Map.copyOf(text.byLanguage()));
  }
}
