package org.heard.survey;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a definition can be run on a database that has run earlier versions of it: stored
 * answers must keep their meaning. Refused: a question id reused with another type or another
 * scale, an option code given the label another code had, a dropped code back with another label,
 * and a version lower than one already run. Rewording keeps ids and codes and is fine.
 */
public final class SurveyCompatibility {
  private SurveyCompatibility() {
  }

  /**
   * The problems, each naming the version it clashes with and what to do instead.
   *
   * @param recorded every recorded definition of the survey (as {@link SurveyJson} wrote it), oldest first
   */
  public static List<DefinitionProblem> problems(SurveyDefinition survey, List<JsonObject> recorded) {
    List<DefinitionProblem> problems = new ArrayList<>();
    String file = survey.sourceFile();
    int newest = recorded.stream().mapToInt(d -> d.getInteger("version", 0)).max().orElse(0);
    if (survey.version() < newest) {
      problems.add(new DefinitionProblem(file, "version", survey.version() + " is lower than version " + newest
          + ", which this database has already run: a definition's version only goes up (write version " + (newest + 1)
          + " for this change)"));
    }
    for (int i = 0; i < survey.questions().size(); i++) {
      Question question = survey.questions().get(i);
      String path = "questions[" + i + "]";
      // The same version recorded before is the text last run: a change in place is checked too.
      for (JsonObject definition : recorded) {
        JsonObject before = question(definition, question.id());
        if (before != null) {
          compare(question, before, definition.getInteger("version"), path, file, problems);
        }
      }
      optionCodes(question, recorded, survey, path, file, problems);
    }
    return problems.stream().distinct().toList();
  }

  private static void compare(Question question, JsonObject before, int version, String path, String file,
                              List<DefinitionProblem> problems) {
    String type = before.getString("type");
    if (!question.type().key().equals(type)) {
      problems.add(new DefinitionProblem(file, path + ".type", "'" + question.id() + "' was a " + type + " question in "
          + "version " + version + "; its stored answers would be read as " + question.type().key() + ": give the new "
          + "question a new id (e.g. " + question.id() + "_2)"));
      return;
    }
    if (question.type() == QuestionType.SCALE && (!Objects.equals(number(before, "min"), question.min())
        || !Objects.equals(number(before, "max"), question.max()))) {
      problems.add(new DefinitionProblem(file, path + ".max", "'" + question.id() + "' was a " + question(before)
          + " scale in version " + version + "; a " + question.minText() + "-" + question.maxText() + " scale reads "
          + "its stored answers differently: give the new scale a new id (e.g. " + question.id() + "_2)"));
    }
  }

  /** An option code must keep its meaning: not take another code's label, nor come back relabelled. */
  private static void optionCodes(Question question, List<JsonObject> recorded, SurveyDefinition survey, String path,
                                  String file, List<DefinitionProblem> problems) {
    if (question.options().isEmpty()) {
      return;
    }
    String language = survey.defaultLanguage();
    for (int o = 0; o < question.options().size(); o++) {
      ChoiceOption option = question.options().get(o);
      String label = label(option, language);
      String optionPath = path + ".options[" + o + "].value";
      boolean presentInLatest = true;
      for (int d = recorded.size() - 1; d >= 0; d--) {
        JsonObject definition = recorded.get(d);
        int version = definition.getInteger("version", 0);
        JsonObject before = question(definition, question.id());
        if (before == null || !question.type().key().equals(before.getString("type"))) {
          continue;
        }
        Map<String, String> labels = labels(before, language);
        String oldLabel = labels.get(option.value());
        if (oldLabel == null) {
          presentInLatest = false;
          continue;
        }
        for (Map.Entry<String, String> other : labels.entrySet()) {
          if (!other.getKey().equals(option.value()) && other.getValue().equalsIgnoreCase(label)
              && !oldLabel.equalsIgnoreCase(label)) {
            problems.add(new DefinitionProblem(file, optionPath, "'" + option.value() + "' now has the label \"" + label
                + "\", which was '" + other.getKey() + "' in version " + version + " ('" + option.value() + "' was \""
                + oldLabel + "\"): stored answers would change meaning; keep each code's meaning and use a new code "
                + "for a new answer"));
          }
        }
        if (!presentInLatest && !oldLabel.equalsIgnoreCase(label)) {
          problems.add(new DefinitionProblem(file, optionPath, "'" + option.value() + "' was \"" + oldLabel + "\" in "
              + "version " + version + " and was then dropped; it comes back as \"" + label + "\": answers stored under "
              + "it would mix two meanings; use a new code (e.g. " + option.value() + "_2)"));
        }
        break;
      }
    }
  }

  private static String question(JsonObject before) {
    return number(before, "min").intValue() + "-" + number(before, "max").intValue();
  }

  private static JsonObject question(JsonObject definition, String id) {
    JsonArray questions = definition.getJsonArray("questions", new JsonArray());
    for (int i = 0; i < questions.size(); i++) {
      JsonObject q = questions.getJsonObject(i);
      if (id.equals(q.getString("id"))) {
        return q;
      }
    }
    return null;
  }

  private static Double number(JsonObject question, String key) {
    Number n = question.getNumber(key);
    return n == null ? null : n.doubleValue();
  }

  /** A recorded question's options: code to label in the default language (the code when unlabelled). */
  private static Map<String, String> labels(JsonObject question, String language) {
    Map<String, String> labels = new HashMap<>();
    JsonArray options = question.getJsonArray("options", new JsonArray());
    for (int i = 0; i < options.size(); i++) {
      JsonObject option = options.getJsonObject(i);
      JsonObject text = option.getJsonObject("text");
      String label = text == null ? null : text.getString(language);
      labels.put(option.getString("value"), label == null ? option.getString("value") : label);
    }
    return labels;
  }

  private static String label(ChoiceOption option, String language) {
    if (option.text() == null) {
      return option.value();
    }
    String label = option.text().byLanguage().get(language);
    return label == null ? option.value() : label;
  }
}
