package org.heard.digest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.heard.store.Documents;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyDefinition;

/** What one response adds to the digest counts: its bucket (survey, day, area) and the fields it increments. */
final class CountFields {
  static final String NO_AREA = "none";
  static final String UNANSWERED = "unanswered";

  private CountFields() {
  }

  static String bucketId(SurveyDefinition survey, JsonObject response, ZoneId zone) {
    LocalDate day = Documents.instant(response.getJsonObject("receivedAt")).atZone(zone).toLocalDate();
    return id(survey.id(), day, area(survey, response.getJsonObject("answers", new JsonObject())));
  }

  static String id(String surveyId, LocalDate day, String area) {
    return surveyId + "|" + day + "|" + area;
  }

  private static String area(SurveyDefinition survey, JsonObject answers) {
    for (Question question : survey.questions()) {
      if (question.type() == QuestionType.AREA && answers.getValue(question.id()) != null) {
        return String.valueOf(answers.getValue(question.id()));
      }
    }
    return NO_AREA;
  }

  static JsonObject increments(SurveyDefinition survey, JsonObject response, int sign) {
    JsonObject answers = response.getJsonObject("answers", new JsonObject());
    String channel = response.getString("channel");
    JsonObject inc = new JsonObject().put("total", sign).put("channel." + channel, sign);
    for (Question question : survey.questions()) {
      Object value = answers.getValue(question.id());
      if (question.indicator() != null && value != null) {
        inc.put("ind." + question.id() + ".n", sign);
        if (question.indicator().isFavourable(value)) {
          inc.put("ind." + question.id() + ".fav", sign);
        }
      }
      if (question.monitoring()) {
        List<String> values = new ArrayList<>();
        if (value instanceof JsonArray list) {
          list.forEach(v -> values.add(String.valueOf(v)));
        } else {
          values.add(value == null ? UNANSWERED : String.valueOf(value));
        }
        for (String v : values) {
          String key = field(v);
          inc.put("grp." + question.id() + "." + key, sign);
          inc.put("gch." + question.id() + "." + key + "." + channel, sign);
        }
      }
    }
    return inc;
  }

  /** A value as a field name: MongoDB field names may not contain dots or start with '$'. */
  static String field(String value) {
    return value.replace('.', '\uFF0E').replace("$", "\uFF04");
  }

  static String unfield(String name) {
    return name.replace('\uFF0E', '.').replace('\uFF04', '$');
  }
}
