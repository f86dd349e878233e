package org.heard.export;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyDefinition;

/**
 * The answer columns of an export: one per question of the current definition (one per option of a
 * multiple-choice question), then one per question an earlier version asked and this one does not,
 * its header marked with those versions ("reported (versions 1, 2)"), so no stored answer is left
 * out of an export because the definition moved on.
 */
final class ExportColumns {
  /** A column: its header, the question, the option it counts (multiple choice) or null, how it reads. */
  record Column(String header, String questionId, String option, QuestionType type, String text,
      List<Integer> versions, boolean current) {
  }

  private final List<Column> columns;
  /** Each question earlier versions asked and the current one does not, as last defined. */
  private final Map<String, JsonObject> removed;

  private final Map<String, QuestionType> types = new LinkedHashMap<>();

  private ExportColumns(List<Column> columns, Map<String, JsonObject> removed) {
    this.columns = List.copyOf(columns);
    this.removed = Map.copyOf(removed);
    columns.forEach(c -> types.putIfAbsent(c.questionId(), c.type()));
  }

  Map<String, JsonObject> removed() {
    return removed;
  }

  /** Each question's type, current and earlier, worked out once per export. */
  Map<String, QuestionType> types() {
    return types;
  }

  List<Column> all() {
    return columns;
  }

  static ExportColumns of(SurveyDefinition survey, List<JsonObject> recorded) {
    Map<String, List<Integer>> askedIn = new LinkedHashMap<>();
    Map<String, JsonObject> latest = new LinkedHashMap<>();
    for (JsonObject definition : recorded) {
      for (Object q : definition.getJsonArray("questions", new JsonArray())) {
        JsonObject question = (JsonObject) q;
        askedIn.computeIfAbsent(question.getString("id"), id -> new ArrayList<>()).add(definition.getInteger("version"));
        latest.put(question.getString("id"), question);
      }
    }
    String lang = survey.defaultLanguage();
    List<Column> columns = new ArrayList<>();
    for (Question q : survey.questions()) {
      List<Integer> versions = new ArrayList<>(new TreeSet<>(askedIn.getOrDefault(q.id(), List.of())));
      if (!versions.contains(survey.version())) {
        versions.add(survey.version());
      }
      String text = q.text().in(lang, lang).text();
      if (q.type() == QuestionType.MULTI_CHOICE) {
        q.options().forEach(o -> columns.add(new Column(q.id() + ":" + o.value(), q.id(), o.value(), q.type(), text,
            versions, true)));
      } else {
        columns.add(new Column(q.id(), q.id(), null, q.type(), text, versions, true));
      }
    }
    Map<String, JsonObject> removed = new LinkedHashMap<>();
    latest.forEach((id, question) -> {
      if (survey.question(id).isPresent()) {
        return;
      }
      removed.put(id, question);
      List<Integer> versions = List.copyOf(new TreeSet<>(askedIn.get(id)));
      QuestionType type = QuestionType.fromKey(question.getString("type")).orElse(QuestionType.TEXT);
      String text = question.getJsonObject("text", new JsonObject()).getString(lang, id);
      String mark = " (versions " + String.join(", ", versions.stream().map(String::valueOf).toList()) + ")";
      if (type == QuestionType.MULTI_CHOICE) {
        for (Object o : question.getJsonArray("options", new JsonArray())) {
          String value = ((JsonObject) o).getString("value");
          columns.add(new Column(id + ":" + value + mark, id, value, type, text, versions, false));
        }
      } else {
        columns.add(new Column(id + mark, id, null, type, text, versions, false));
      }
    });
    return new ExportColumns(columns, removed);
  }

  /** Every question id an export carries, current and earlier. */
  List<String> questionIds() {
    return columns.stream().map(Column::questionId).distinct().toList();
  }

  /** Of a removed question, the option labels and other facts as the version that last asked it had them. */
  static Map<String, String> optionLabels(JsonObject question, String lang) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (Object o : question.getJsonArray("options", new JsonArray())) {
      JsonObject option = (JsonObject) o;
      JsonObject text = option.getJsonObject("text");
      labels.put(option.getString("value"), text == null ? option.getString("value")
          : text.getString(lang, option.getString("value")));
    }
    return labels;
  }
}
