package org.heard.survey;

import static org.heard.survey.DefinitionReader.child;
import static org.heard.survey.DefinitionReader.item;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
/** Reads and checks a survey's questions: types, options, scales, skip logic and indicators. */
final class QuestionReader {
  private static final Pattern QUESTION_ID = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  static final Set<String> COMMON_QUESTION_KEYS = Set.of("id", "type", "text", "hint", "sms", "section",
      "required", "show_if");
  static final Map<QuestionType, Set<String>> TYPE_KEYS = Map.of(
      QuestionType.SINGLE_CHOICE, Set.of("options", "indicator", "monitoring"),
      QuestionType.MULTI_CHOICE, Set.of("options", "max_choices", "monitoring"),
      QuestionType.SCALE, Set.of("min", "max", "labels", "indicator"),
      QuestionType.TEXT, Set.of("max_length", "themes"),
      QuestionType.NUMBER, Set.of("min", "max", "whole_number"),
      QuestionType.AREA, Set.of(),
      QuestionType.CONSENT, Set.of());
  static final Set<String> OPTION_KEYS = Set.of("value", "text", "sms");
  static final Set<String> SHOW_IF_KEYS = Set.of("question", "includes", "equals");
  static final Set<String> INDICATOR_KEYS = Set.of("name", "favourable", "target");
  private static final int MAX_SCALE_POINTS = 11;
  private static final int MAX_TEXT_LENGTH = 10_000;

  private QuestionReader() {
  }

  static List<Question> readQuestions(DefinitionReader in, Map<String, Object> root, List<String> languages,
      Partnership partnership) {
    List<Object> list = in.list(root, "questions", "", true);
    List<Question> questions = new ArrayList<>();
    if (list == null) {
      return questions;
    }
    if (list.isEmpty()) {
      in.problem("questions", "must hold at least one question");
    }
    Map<String, Question> earlier = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String path = item("questions", i);
      Map<String, Object> raw = in.map(list.get(i), path);
      if (raw == null) {
        continue;
      }
      Question question = readQuestion(in, raw, path, languages, earlier, partnership);
      if (question != null) {
        if (earlier.containsKey(question.id())) {
          in.problem(child(path, "id"), "'" + question.id() + "' is used by another question in this survey");
        }
        earlier.put(question.id(), question);
        questions.add(question);
      }
    }
    return questions;
  }

  static Question readQuestion(DefinitionReader in, Map<String, Object> raw, String path,
      List<String> languages, Map<String, Question> earlier, Partnership partnership) {
    String id = in.string(raw, "id", path, true);
    if (id != null && (!QUESTION_ID.matcher(id).matches() || id.length() > 64)) {
      in.problem(child(path, "id"), "'" + id + "' must be lower_snake_case (letters, digits, single underscores)");
    }
    String typeName = in.string(raw, "type", path, true);
    QuestionType type = typeName == null ? null : QuestionType.fromKey(typeName).orElse(null);
    if (typeName != null && type == null) {
      in.problem(child(path, "type"), "'" + typeName + "' is not a question type (single_choice, multi_choice, "
          + "scale, text, number, area, consent)");
    }
    if (type == null) {
      return null;
    }
    Set<String> allowed = new HashSet<>(COMMON_QUESTION_KEYS);
    allowed.addAll(TYPE_KEYS.get(type));
    in.onlyKeys(raw, path, allowed, "a " + type.key() + " question");

    LocalizedText text = in.text(raw, "text", path, true, languages);
    LocalizedText hint = in.text(raw, "hint", path, false, languages);
    LocalizedText sms = in.text(raw, "sms", path, false, languages);
    LocalizedText section = in.text(raw, "section", path, false, languages);
    boolean required = in.bool(raw, "required", path);
    boolean monitoring = in.bool(raw, "monitoring", path);
    if (monitoring && required) {
      in.problem(child(path, "required"), "equality-monitoring questions are never required");
    }
    Double min = null;
    Double max = null;
    Map<Integer, LocalizedText> labels = Map.of();
    if (type == QuestionType.SCALE) {
      Integer low = in.integer(raw, "min", path, true);
      Integer high = in.integer(raw, "max", path, true);
      if (low != null && high != null) {
        if (high <= low) {
          in.problem(child(path, "max"), "must be greater than min (" + low + ")");
        } else if (high - low + 1 > MAX_SCALE_POINTS) {
          in.problem(child(path, "max"), "a scale may have at most " + MAX_SCALE_POINTS + " points");
        }
        min = low.doubleValue();
        max = high.doubleValue();
        labels = readLabels(in, raw, path, languages, low, high);
      }
    } else if (type == QuestionType.NUMBER) {
      min = in.number(raw, "min", path);
      max = in.number(raw, "max", path);
      if (min != null && max != null && max < min) {
        in.problem(child(path, "max"), "must not be less than min (" + min + ")");
      }
    }
    List<ChoiceOption> options = type.isChoice() ? readOptions(in, raw, path, languages, monitoring) : List.of();
    Integer maxChoices = null;
    if (type == QuestionType.MULTI_CHOICE) {
      maxChoices = in.integer(raw, "max_choices", path, false);
      if (maxChoices != null && (maxChoices < 1 || maxChoices > Math.max(1, options.size()))) {
        in.problem(child(path, "max_choices"), "must be between 1 and the number of options (" + options.size() + ")");
      }
    }
    Integer maxLength = null;
    if (type == QuestionType.TEXT) {
      maxLength = in.integer(raw, "max_length", path, false);
      if (maxLength != null && (maxLength < 1 || maxLength > MAX_TEXT_LENGTH)) {
        in.problem(child(path, "max_length"), "must be between 1 and " + MAX_TEXT_LENGTH);
      }
    }
    if (type == QuestionType.AREA && partnership != null && partnership.areas().isEmpty()) {
      in.problem(child(path, "type"), "an area question needs areas in partnership.yaml");
    }
    boolean themes = in.bool(raw, "themes", path);
    ShowIf showIf = readShowIf(in, raw, path, earlier);
    Indicator indicator = readIndicator(in, raw, path, type, min, max, options);
    if (id == null || text == null) {
      return null;
    }
    return new Question(id, type, text, hint, sms, section, required, min, max, labels, options, maxChoices,
        maxLength, themes, showIf, monitoring, indicator, type == QuestionType.NUMBER && in.bool(raw, "whole_number", path));
  }

  static Map<Integer, LocalizedText> readLabels(DefinitionReader in, Map<String, Object> raw, String path,
      List<String> languages, int min, int max) {
    String labelsPath = child(path, "labels");
    Map<String, Object> labels = in.optionalMap(raw, "labels", path);
    Map<Integer, LocalizedText> result = new HashMap<>();
    if (labels == null) {
      return result;
    }
    for (String key : labels.keySet()) {
      int point;
      try {
        point = Integer.parseInt(key);
      } catch (NumberFormatException e) {
        in.problem(child(labelsPath, key), "must be a point on the scale (" + min + "-" + max + ")");
        continue;
      }
      if (point < min || point > max) {
        in.problem(child(labelsPath, key), "is outside the scale " + min + "-" + max);
      }
      LocalizedText label = in.text(labels, key, labelsPath, true, languages);
      if (label != null) {
        result.put(point, label);
      }
    }
    return result;
  }

  static List<ChoiceOption> readOptions(DefinitionReader in, Map<String, Object> raw, String path,
      List<String> languages, boolean monitoring) {
    List<Object> list = in.list(raw, "options", path, true);
    List<ChoiceOption> options = new ArrayList<>();
    if (list == null) {
      return options;
    }
    String optionsPath = child(path, "options");
    if (list.size() < 2) {
      in.problem(optionsPath, "a choice question needs at least two options");
    }
    Set<String> values = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String optionPath = item(optionsPath, i);
      Object node = list.get(i);
      String value;
      LocalizedText text = null;
      LocalizedText sms = null;
      if (node instanceof String || node instanceof Number) {
        value = String.valueOf(node).trim();
      } else {
        Map<String, Object> option = in.map(node, optionPath);
        if (option == null) {
          continue;
        }
        in.onlyKeys(option, optionPath, OPTION_KEYS, "an option");
        value = in.string(option, "value", optionPath, true);
        text = in.text(option, "text", optionPath, false, languages);
        sms = in.text(option, "sms", optionPath, false, languages);
      }
      if (value == null) {
        continue;
      }
      String valuePath = child(optionPath, "value");
      if (value.isEmpty() || value.length() > 64 || value.chars().anyMatch(Character::isISOControl)) {
        in.problem(valuePath, "must be 1-64 characters without control characters");
      } else if (!values.add(value)) {
        in.problem(valuePath, "'" + value + "' is used by another option of this question");
      } else if (monitoring && Question.PREFER_NOT_TO_SAY.equals(value)) {
        in.problem(valuePath, "'" + value + "' is added to monitoring questions automatically");
      } else {
        options.add(new ChoiceOption(value, text, sms));
      }
    }
    return options;
  }

  static ShowIf readShowIf(DefinitionReader in, Map<String, Object> raw, String path,
      Map<String, Question> earlier) {
    String showPath = child(path, "show_if");
    Map<String, Object> showIf = in.optionalMap(raw, "show_if", path);
    if (showIf == null) {
      return null;
    }
    in.onlyKeys(showIf, showPath, SHOW_IF_KEYS, "show_if");
    String source = in.string(showIf, "question", showPath, true);
    boolean includes = showIf.containsKey("includes");
    if (includes == showIf.containsKey("equals")) {
      in.problem(showPath, "needs exactly one of includes (for multi_choice) or equals");
      return null;
    }
    String value = in.string(showIf, includes ? "includes" : "equals", showPath, true);
    if (source == null || value == null) {
      return null;
    }
    Question sourceQuestion = earlier.get(source);
    if (sourceQuestion == null) {
      in.problem(child(showPath, "question"), "'" + source + "' is not an earlier question of this survey");
      return null;
    }
    String valuePath = child(showPath, includes ? "includes" : "equals");
    if (includes != (sourceQuestion.type() == QuestionType.MULTI_CHOICE)) {
      in.problem(valuePath, includes ? "includes applies to multi_choice questions; use equals"
          : "a multi_choice question is tested with includes, not equals");
    } else if (sourceQuestion.type().isChoice() && !sourceQuestion.allowsChoice(value)) {
      in.problem(valuePath, "'" + value + "' is not an option of " + source);
    } else if (sourceQuestion.type() == QuestionType.SCALE && !inScale(sourceQuestion, value)) {
      in.problem(valuePath, "'" + value + "' is not a point on the scale of " + source);
    } else if (sourceQuestion.type() == QuestionType.CONSENT && !value.equals("true") && !value.equals("false")) {
      in.problem(valuePath, "a consent question is tested with true or false");
    }
    return new ShowIf(source, value, includes);
  }

  static Indicator readIndicator(DefinitionReader in, Map<String, Object> raw, String path,
      QuestionType type, Double min, Double max, List<ChoiceOption> options) {
    String indicatorPath = child(path, "indicator");
    Map<String, Object> indicator = in.optionalMap(raw, "indicator", path);
    if (indicator == null) {
      return null;
    }
    in.onlyKeys(indicator, indicatorPath, INDICATOR_KEYS, "an indicator");
    String name = in.string(indicator, "name", indicatorPath, true);
    Double target = in.number(indicator, "target", indicatorPath);
    if (target == null && !indicator.containsKey("target")) {
      in.problem(child(indicatorPath, "target"), "is required: the share of favourable answers aimed for");
    } else if (target != null && (target < 0 || target > 1)) {
      in.problem(child(indicatorPath, "target"), "must be a share between 0 and 1, e.g. 0.7");
    }
    List<Object> favourable = in.list(indicator, "favourable", indicatorPath, true);
    List<String> values = new ArrayList<>();
    if (favourable != null) {
      if (favourable.isEmpty()) {
        in.problem(child(indicatorPath, "favourable"), "must list at least one favourable answer");
      }
      for (int i = 0; i < favourable.size(); i++) {
        String value = String.valueOf(favourable.get(i));
        boolean valid = type == QuestionType.SCALE
            ? min != null && inRange(value, min, max)
            : options.stream().anyMatch(o -> o.value().equals(value));
        if (!valid) {
          in.problem(item(child(indicatorPath, "favourable"), i), "'" + value + "' is not a possible answer");
        }
        values.add(value);
      }
    }
    return name == null || target == null ? null : new Indicator(name, values, target);
  }

  static boolean inScale(Question question, String value) {
    return inRange(value, question.min(), question.max());
  }

  static boolean inRange(String value, double min, double max) {
    try {
      int point = Integer.parseInt(value);
      return point >= min && point <= max;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- across files
}
