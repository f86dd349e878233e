package org.heard.themes;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.heard.analysis.CommentAnalysis;
import org.heard.response.ResponseStore;
import org.heard.store.Documents;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyDefinition;

/** Reads a survey's analysed comments from the responses as {@link ThemeItem}s. */
final class ThemeItems {
  private ThemeItems() {
  }

  /** Every analysed comment of a survey, as theme builds read them (a damaged document fails the load). */
  static Future<List<ThemeItem>> load(ResponseStore responses, SurveyDefinition survey, AtomicLong read) {
    Promise<List<ThemeItem>> done = Promise.promise();
    List<ThemeItem> items = new ArrayList<>();
    Map<String, String> canon = new HashMap<>();
    JsonObject fields = new JsonObject().put("surveyId", 1).put("receivedAt", 1).put("channel", 1)
        .put("analysis", 1);
    for (Question question : survey.questions()) {
      if (question.type() == QuestionType.AREA || question.monitoring()) {
        fields.put("answers." + question.id(), 1);
      }
    }
    ReadStream<JsonObject> stream = responses.streamAnalysed(survey.id(), fields);
    stream.handler(response -> {
          read.incrementAndGet();
          try {
            items.addAll(of(survey, response, canon));
          } catch (RuntimeException damaged) {
            // A document that cannot be read must not leave the build waiting for ever.
            done.tryFail(damaged);
          }
        })
        .exceptionHandler(done::tryFail)
        .endHandler(v -> done.tryComplete(items));
    return done.future();
  }

  /** The comments of one stored response, with what themes are filtered by. */
  static List<ThemeItem> of(SurveyDefinition survey, JsonObject response, Map<String, String> canon) {
    JsonObject analysis = response.getJsonObject("analysis");
    if (analysis == null || analysis.isEmpty()) {
      return List.of();
    }
    JsonObject answers = response.getJsonObject("answers", new JsonObject());
    String area = null;
    Map<String, String> groups = new HashMap<>();
    for (Question question : survey.questions()) {
      Object value = answers.getValue(question.id());
      if (value == null) {
        continue;
      }
      if (question.type() == QuestionType.AREA) {
        area = canon.computeIfAbsent(String.valueOf(value), k -> k);
      } else if (question.monitoring()) {
        groups.put(question.id(), value instanceof JsonArray list ? String.join(",", list.stream().map(String::valueOf).toList())
            : String.valueOf(value));
      }
    }
    List<ThemeItem> items = new ArrayList<>();
    for (String questionId : analysis.fieldNames()) {
      items.add(new ThemeItem(response.getString("_id"), questionId,
          Documents.instant(response.getJsonObject("receivedAt")), response.getString("channel"), area, Map.copyOf(groups),
          CommentAnalysis.fromDocument(analysis.getJsonObject(questionId), canon)));
    }
    return items;
  }
}
