package org.heard.xlsform;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.xlsform.XlsFormWorkbook.SheetRow;

/** Converts one survey-sheet row to a Heard question, reporting what it cannot carry over. */
final class XlsFormQuestions {
  private static final Pattern SELECT = Pattern.compile(
      "(?i)select[ _](one|multiple|all that apply)(?: from)? (\\S+)( or[ _]specify other| or_other)?");
  private static final Set<String> READ = Set.of("type", "name", "label", "hint", "required", "relevant", "constraint",
      "parameters");
  private static final Map<String, String> WHY_NOT = Map.of(
      "appearance", "Heard lays out its own pages",
      "default", "Heard starts every answer empty",
      "choice_filter", "Heard shows every option of the list",
      "read_only", "Heard has no read-only questions",
      "calculation", "Heard calculates nothing in a form",
      "guidance_hint", "Heard shows the hint only");

  private final XlsFormReport report;
  private final XlsFormTexts texts;
  private final XlsFormChoices choices;
  private final Set<String> areaCodes;
  private final List<Map<String, Object>> converted = new ArrayList<>();
  /** XLSForm name to Heard id, for every converted question. */
  private final Map<String, String> ids = new HashMap<>();
  private final Set<String> usedIds = new LinkedHashSet<>();

  XlsFormQuestions(XlsFormReport report, XlsFormTexts texts, XlsFormChoices choices, Set<String> areaCodes) {
    this.report = report;
    this.texts = texts;
    this.choices = choices;
    this.areaCodes = areaCodes;
  }

  List<Map<String, Object>> converted() {
    return converted;
  }

  /** A type as written, in the one spelling XLSForm tools accept for each ("select one from x" is select_one x). */
  static String normalType(String raw) {
    String type = raw.strip().replaceAll("\\s+", " ");
    Matcher select = SELECT.matcher(type);
    if (select.matches()) {
      String kind = select.group(1).equalsIgnoreCase("one") ? "select_one" : "select_multiple";
      return kind + " " + select.group(2) + (select.group(3) == null ? "" : " or_other");
    }
    String lower = type.toLowerCase(Locale.ROOT);
    return lower.replaceFirst("^(begin|end) (group|repeat|loop)", "$1_$2");
  }

  /**
   * The question for the row, added to those converted, or null (reported) when Heard has no such
   * question. {@code notes} are the texts of notes just before it, which become part of its hint.
   */
  Map<String, Object> convert(SheetRow row, String[] type, List<String> groupConditions, List<SheetRow> notes,
                              Map<String, String> section) {
    String kind = type[0];
    Map<String, Object> q = new LinkedHashMap<>();
    Set<String> read = new LinkedHashSet<>(READ);
    String heardType = row.get("heard_type");
    switch (kind) {
      case "text" -> q.put("type", "text");
      case "integer", "decimal" -> {
        q.put("type", "number");
        if (kind.equals("integer")) {
          q.put("whole_number", true);
        }
      }
      case "range" -> XlsFormNumbers.range(row, q, report);
      case "select_one", "select_multiple" -> {
        if (type.length < 2 || choices.use(type[1]) == null) {
          report.row("survey", row, "'" + row.get("type") + "' names no list of the choices sheet: left out");
          return null;
        }
        select(row, kind.equals("select_one"), type[1], heardType, q, read);
      }
      default -> {
        report.row("survey", row, "'" + row.get("type") + "' questions are not in Heard (it has choices, scales, "
            + "numbers, text, areas and consent): left out");
        return null;
      }
    }
    String id = id(row);
    Map<String, Object> question = new LinkedHashMap<>();
    question.put("id", id);
    if (section != null) {
      question.put("section", XlsFormTexts.yaml(section));
    }
    question.put("type", q.remove("type"));
    question.put("text", XlsFormTexts.yaml(label(row, id)));
    Map<String, String> hint = hint(row, id, notes);
    if (!hint.isEmpty()) {
      question.put("hint", XlsFormTexts.yaml(hint));
    }
    required(row, question);
    constraint(row, (String) question.get("type"), q);
    question.putAll(q);
    XlsFormHeardColumns.readQuestion(row, texts, question, report);
    showIf(row, groupConditions, question);
    row.cells().forEach((column, value) -> {
      if (!read.contains(column) && !XlsFormTexts.isRead(column) && !column.startsWith("$") && !column.startsWith("heard_")) {
        String why = column.startsWith("constraint_message") || column.startsWith("required_message")
            || column.equals("requiredmsg") ? "Heard words its own error messages"
            : XlsFormReport.isMedia(column) ? "Heard shows no images or sound" : WHY_NOT.get(column);
        report.row("survey", row, "'" + column + "' (" + XlsFormReport.shorten(value) + ") is not carried over" + (why == null ? "" : ": " + why));
      }
    });
    converted.add(question);
    ids.put(row.get("name"), id);
    if (type.length > 2 && type[2].equals("or_other")) {
      otherText(row, id, kind.equals("select_multiple"));
    }
    return question;
  }

  private void select(SheetRow row, boolean one, String list, String heardType, Map<String, Object> q, Set<String> read) {
    List<XlsFormChoices.Choice> listed = choices.use(list);
    List<String> names = listed.stream().map(XlsFormChoices.Choice::name).toList();
    read.add("appearance");
    boolean likert = row.get("appearance").toLowerCase(Locale.ROOT).contains("likert");
    if (!likert) {
      read.remove("appearance");
    }
    if (one && (heardType.equals("area") || (heardType.isEmpty() && !areaCodes.isEmpty()
        && new LinkedHashSet<>(names).equals(areaCodes)))) {
      q.put("type", "area");
      return;
    }
    if (one && heardType.equals("consent")) {
      q.put("type", "consent");
      return;
    }
    if (one && (heardType.equals("scale") || (heardType.isEmpty() && likert)) && XlsFormNumbers.scale(listed, q, texts)) {
      return;
    }
    q.put("type", one ? "single_choice" : "multi_choice");
    boolean monitoring = row.get("heard_monitoring").equalsIgnoreCase("yes");
    List<Object> options = new ArrayList<>();
    for (XlsFormChoices.Choice choice : listed) {
      if (monitoring && choice.name().equals("prefer_not_to_say")) {
        continue;
      }
      Map<String, Object> option = new LinkedHashMap<>();
      option.put("value", choice.name());
      Map<String, String> label = texts.of(choice.row(), "label");
      if (!label.isEmpty()) {
        option.put("text", XlsFormTexts.yaml(label));
      }
      Map<String, String> sms = texts.of(choice.row(), "heard_sms");
      if (!sms.isEmpty()) {
        option.put("sms", XlsFormTexts.yaml(sms));
      }
      options.add(option);
    }
    q.put("options", options);
  }

  private String id(SheetRow row) {
    String name = row.get("name");
    String id = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
    if (id.isEmpty() || !Character.isLetter(id.charAt(0))) {
      id = "q_" + (id.isEmpty() ? String.valueOf(row.number()) : id);
    }
    if (id.length() > 60) {
      id = id.substring(0, 60).replaceAll("_+$", "");
    }
    String unique = id;
    for (int n = 2; usedIds.contains(unique); n++) {
      unique = id + "_" + n;
    }
    usedIds.add(unique);
    if (!unique.equals(name)) {
      report.row("survey", row, (name.isEmpty() ? "has no name" : "name '" + name + "'") + ": its id in Heard is '"
          + unique + "' (lower_snake_case, unique)");
    }
    return unique;
  }

  private Map<String, String> label(SheetRow row, String id) {
    Map<String, String> label = texts.of(row, "label");
    if (label.isEmpty()) {
      report.row("survey", row, "has no label in the default language: its id '" + id + "' is its text");
      return Map.of(texts.defaultLanguage(), id.replace('_', ' '));
    }
    if (label.values().stream().anyMatch(t -> t.contains("${"))) {
      report.row("survey", row, "the label shows earlier answers (${...}), which Heard does not fill in: the text "
          + "keeps the ${...} as written");
    }
    return label;
  }

  /** The hint, after the texts of the notes just before the question, language by language. */
  private Map<String, String> hint(SheetRow row, String id, List<SheetRow> notes) {
    List<Map<String, String>> parts = new ArrayList<>();
    for (SheetRow note : notes) {
      parts.add(texts.of(note, "label"));
      if (!texts.of(note, "hint").isEmpty()) {
        parts.add(texts.of(note, "hint"));
      }
      report.row("survey", note, "note '" + note.get("name") + "' is shown as part of the hint of '" + id + "', the "
          + "question after it");
    }
    Map<String, String> own = texts.of(row, "hint");
    if (!own.isEmpty()) {
      parts.add(own);
    }
    Map<String, String> hint = new LinkedHashMap<>();
    for (String language : texts.languages()) {
      List<String> inLanguage = new ArrayList<>();
      for (Map<String, String> part : parts) {
        String text = part.getOrDefault(language, part.get(texts.defaultLanguage()));
        if (text != null) {
          inLanguage.add(text);
        }
      }
      if (!inLanguage.isEmpty() && (language.equals(texts.defaultLanguage())
          || parts.stream().anyMatch(p -> p.containsKey(language)))) {
        hint.put(language, String.join("\n\n", inLanguage));
      }
    }
    return hint;
  }

  private void required(SheetRow row, Map<String, Object> question) {
    String raw = row.get("required").toLowerCase(Locale.ROOT);
    if (Set.of("yes", "true", "true()", "1").contains(raw)) {
      question.put("required", true);
    } else if (!raw.isEmpty() && !Set.of("no", "false", "false()", "0").contains(raw)) {
      report.row("survey", row, "required '" + row.get("required") + "' depends on answers, which Heard cannot say: "
          + "the question is not required");
    }
  }

  private void constraint(SheetRow row, String type, Map<String, Object> q) {
    String constraint = row.get("constraint");
    if (constraint.isEmpty()) {
      return;
    }
    boolean done = false;
    switch (type) {
      case "number" -> {
        Optional<XlsFormExpressions.Range> range = XlsFormExpressions.range(constraint, q.containsKey("whole_number"));
        range.ifPresent(r -> {
          if (r.min() != null) {
            q.put("min", XlsFormNumbers.number(r.min()));
          }
          if (r.max() != null) {
            q.put("max", XlsFormNumbers.number(r.max()));
          }
        });
        done = range.isPresent();
      }
      case "text" -> {
        Optional<Integer> max = XlsFormExpressions.maxLength(constraint);
        max.ifPresent(n -> q.put("max_length", n));
        done = max.isPresent();
      }
      case "multi_choice" -> {
        Optional<Integer> max = XlsFormExpressions.maxChoices(constraint);
        max.ifPresent(n -> q.put("max_choices", n));
        done = max.isPresent();
      }
      default -> {
        // no constraint Heard can say on other types
      }
    }
    if (!done) {
      report.row("survey", row, "constraint '" + constraint + "' is not one Heard can say (a range of numbers, a "
          + "text's length, how many choices): left out");
    }
  }

  /** One condition becomes show_if; more than one, or one Heard cannot say, is reported. */
  private void showIf(SheetRow row, List<String> groupConditions, Map<String, Object> question) {
    List<String> conditions = new ArrayList<>(groupConditions);
    if (!row.get("relevant").isEmpty()) {
      conditions.add(row.get("relevant"));
    }
    if (conditions.isEmpty()) {
      return;
    }
    String kept = conditions.get(conditions.size() - 1);
    if (conditions.size() > 1) {
      report.row("survey", row, "is asked only when " + String.join(" and ", conditions) + "; Heard's show_if holds "
          + "one condition, so it is asked when " + kept);
    }
    Optional<XlsFormExpressions.Condition> parsed = XlsFormExpressions.condition(kept);
    String source = parsed.map(c -> ids.get(c.question())).orElse(null);
    Map<String, Object> sourceQuestion = source == null ? null
        : converted.stream().filter(q -> q.get("id").equals(source)).findFirst().orElse(null);
    if (parsed.isEmpty() || sourceQuestion == null) {
      report.row("survey", row, "relevant '" + kept + "' is not one Heard can say (one earlier answer equal to a "
          + "value, or a multiple choice including one): the question is always asked");
      return;
    }
    boolean multi = "multi_choice".equals(sourceQuestion.get("type"));
    if (multi && !parsed.get().selected()) {
      report.row("survey", row, "relevant '" + kept + "' tests a multiple choice with =, taken as 'includes'");
    }
    Map<String, Object> showIf = new LinkedHashMap<>();
    showIf.put("question", source);
    showIf.put(multi ? "includes" : "equals", parsed.get().value());
    question.put("show_if", showIf);
  }

  /** ODK's "or_other": an option "other" and a text question asked when it is chosen. */
  private void otherText(SheetRow row, String id, boolean multi) {
    Map<String, Object> choice = converted.get(converted.size() - 1);
    @SuppressWarnings("unchecked")
    List<Object> options = (List<Object>) choice.get("options");
    if (options == null) {
      return;
    }
    options.add(new LinkedHashMap<>(Map.of("value", "other", "text", "Other")));
    String otherId = id + "_other";
    for (int n = 2; usedIds.contains(otherId); n++) {
      otherId = id + "_other_" + n;
    }
    usedIds.add(otherId);
    Map<String, Object> text = new LinkedHashMap<>();
    text.put("id", otherId);
    text.put("type", "text");
    text.put("text", "Please say what");
    text.put("show_if", new LinkedHashMap<>(Map.of("question", id, multi ? "includes" : "equals", "other")));
    converted.add(text);
    report.row("survey", row, "or_other: added the option 'other' (\"Other\") and the text question '" + otherId
        + "' (\"Please say what\") asked when it is chosen; translate both if the survey has other languages");
  }
}
