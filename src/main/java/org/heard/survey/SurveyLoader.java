package org.heard.survey;

import static org.heard.survey.DefinitionReader.child;
import static org.heard.survey.DefinitionReader.item;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Loads {@code partnership.yaml} and every survey file from the surveys directory (YAML, or JSON
 * with the same structure) and checks them against the survey format. Every problem in every
 * file is collected; nothing is returned unless there are none.
 */
public final class SurveyLoader {
  public static final String PARTNERSHIP_FILE = "partnership";

  private static final Pattern SURVEY_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final Pattern QUESTION_ID = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*");
  private static final Pattern KEYWORD = Pattern.compile("[\\p{L}\\p{N}]{2,20}");
  private static final Pattern FORM_CODE = Pattern.compile("[A-Z0-9][A-Z0-9-]{0,15}");
  /** SMS words that always mean opt-out, opt-in or help, so no survey may use them as a keyword. */
  static final Set<String> RESERVED_KEYWORDS = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END",
      "QUIT", "START", "UNSTOP", "YES", "HELP", "INFO", "SKIP");
  private static final int MAX_SCALE_POINTS = 11;
  private static final int MAX_TEXT_LENGTH = 10_000;
  private static final double SHARE_SUM_TOLERANCE = 0.02;

  private static final Set<String> SURVEY_KEYS = Set.of("id", "version", "title", "description", "languages",
      "opens", "closes", "channels", "questions", "monitoring_intro", "retention_days");
  private static final Set<String> COMMON_QUESTION_KEYS = Set.of("id", "type", "text", "hint", "sms", "section",
      "required", "show_if");
  private static final Map<QuestionType, Set<String>> TYPE_KEYS = Map.of(
      QuestionType.SINGLE_CHOICE, Set.of("options", "indicator", "monitoring"),
      QuestionType.MULTI_CHOICE, Set.of("options", "max_choices", "monitoring"),
      QuestionType.SCALE, Set.of("min", "max", "labels", "indicator"),
      QuestionType.TEXT, Set.of("max_length", "themes"),
      QuestionType.NUMBER, Set.of("min", "max"),
      QuestionType.AREA, Set.of(),
      QuestionType.CONSENT, Set.of());

  private SurveyLoader() {
  }

  /** Loads and validates the directory, or throws {@link DefinitionException} with every problem. */
  public static SurveyCatalog load(Path directory) {
    List<DefinitionProblem> problems = new ArrayList<>();
    SurveyCatalog catalog = load(directory, problems);
    if (!problems.isEmpty()) {
      throw new DefinitionException(problems);
    }
    return catalog;
  }

  private static SurveyCatalog load(Path directory, List<DefinitionProblem> problems) {
    String dirName = directory.toString();
    if (!Files.isDirectory(directory)) {
      problems.add(new DefinitionProblem(dirName, "", "is not a directory of survey definitions"));
      return null;
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.filter(SurveyLoader::isDefinitionFile).sorted().toList();
    } catch (IOException e) {
      problems.add(new DefinitionProblem(dirName, "", "cannot be listed: " + e.getMessage()));
      return null;
    }
    List<Path> partnershipFiles = files.stream().filter(SurveyLoader::isPartnershipFile).toList();
    if (partnershipFiles.size() != 1) {
      problems.add(new DefinitionProblem(dirName, "", partnershipFiles.isEmpty()
          ? "has no partnership.yaml describing the partnership"
          : "has more than one partnership file: " + partnershipFiles));
    }
    Partnership partnership = partnershipFiles.isEmpty() ? null : readPartnership(partnershipFiles.get(0), problems);
    List<SurveyDefinition> surveys = new ArrayList<>();
    for (Path file : files) {
      if (!isPartnershipFile(file)) {
        SurveyDefinition survey = readSurvey(file, partnership, problems);
        if (survey != null) {
          surveys.add(survey);
        }
      }
    }
    if (files.size() == partnershipFiles.size()) {
      problems.add(new DefinitionProblem(dirName, "", "holds no survey files"));
    }
    checkAcrossSurveys(surveys, partnership, problems);
    return problems.isEmpty() ? new SurveyCatalog(partnership, surveys) : null;
  }

  private static boolean isDefinitionFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(file) && !name.startsWith(".")
        && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
  }

  private static boolean isPartnershipFile(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.lastIndexOf('.')).equals(PARTNERSHIP_FILE);
  }

  private static Object parse(Path file, List<DefinitionProblem> problems) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).setAllowDuplicateKeys(false).build();
      Object document = new Load(settings).loadFromString(text);
      if (document == null) {
        problems.add(new DefinitionProblem(file.toString(), "", "is empty"));
      }
      return document;
    } catch (IOException e) {
      problems.add(new DefinitionProblem(file.toString(), "", "cannot be read: " + e.getMessage()));
    } catch (YamlEngineException e) {
      problems.add(new DefinitionProblem(file.toString(), "", "is not valid YAML: "
          + e.getMessage().replaceAll("\\s+", " ").trim()));
    }
    return null;
  }

  /** The file's top-level mapping, or null when the file cannot be parsed or is not a mapping. */
  private static Map<String, Object> readRoot(Path file, DefinitionReader in, List<DefinitionProblem> problems) {
    Object document = parse(file, problems);
    return document == null ? null : in.map(document, "");
  }

  // ---------------------------------------------------------------- partnership

  private static Partnership readPartnership(Path file, List<DefinitionProblem> problems) {
    int before = problems.size();
    DefinitionReader in = new DefinitionReader(file.toString(), problems);
    Map<String, Object> root = readRoot(file, in, problems);
    if (root == null) {
      return null;
    }
    in.onlyKeys(root, "", Set.of("name", "timezone", "areas", "population"), "partnership.yaml");
    String name = in.string(root, "name", "", true);
    ZoneId zone = ZoneId.of("Europe/London");
    String zoneName = in.string(root, "timezone", "", false);
    if (zoneName != null) {
      try {
        zone = ZoneId.of(zoneName);
      } catch (DateTimeException e) {
        in.problem("timezone", "is not a time zone id like Europe/London");
      }
    }
    List<Area> areas = readAreas(in, root);
    Map<String, Map<String, Double>> population = readPopulation(in, root, areas);
    return problems.size() == before ? new Partnership(name, zone, areas, population) : null;
  }

  private static List<Area> readAreas(DefinitionReader in, Map<String, Object> root) {
    List<Object> list = in.list(root, "areas", "", true);
    List<Area> areas = new ArrayList<>();
    if (list == null) {
      return areas;
    }
    if (list.isEmpty()) {
      in.problem("areas", "must name at least one area");
    }
    Set<String> codes = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String path = item("areas", i);
      Map<String, Object> area = in.map(list.get(i), path);
      if (area == null) {
        continue;
      }
      in.onlyKeys(area, path, Set.of("code", "name"), "an area");
      String code = in.string(area, "code", path, true);
      String areaName = in.string(area, "name", path, true);
      if (code != null && !codes.add(code)) {
        in.problem(child(path, "code"), "'" + code + "' is used by another area");
      }
      if (code != null && areaName != null) {
        areas.add(new Area(code, areaName));
      }
    }
    return areas;
  }

  private static Map<String, Map<String, Double>> readPopulation(DefinitionReader in, Map<String, Object> root,
      List<Area> areas) {
    Map<String, Map<String, Double>> population = new LinkedHashMap<>();
    Map<String, Object> groups = in.optionalMap(root, "population", "");
    if (groups == null) {
      return population;
    }
    groups.forEach((group, rawShares) -> {
      String path = child("population", group);
      Map<String, Object> shares = in.map(rawShares, path);
      if (shares == null) {
        return;
      }
      Map<String, Double> parsed = new LinkedHashMap<>();
      double sum = 0;
      for (String value : shares.keySet()) {
        Double share = in.number(shares, value, path);
        if (share == null) {
          continue;
        }
        if (share < 0 || share > 1) {
          in.problem(child(path, value), "must be a share between 0 and 1, not " + share);
        }
        if ("area".equals(group) && areas.stream().noneMatch(a -> a.code().equals(value))) {
          in.problem(child(path, value), "is not the code of an area in areas");
        }
        parsed.put(value, share);
        sum += share;
      }
      if (!parsed.isEmpty() && Math.abs(sum - 1.0) > SHARE_SUM_TOLERANCE) {
        in.problem(path, String.format(Locale.ROOT, "shares add up to %.3f, not 1", sum));
      }
      population.put(group, parsed);
    });
    return population;
  }

  // ---------------------------------------------------------------- survey

  private static SurveyDefinition readSurvey(Path file, Partnership partnership, List<DefinitionProblem> problems) {
    int before = problems.size();
    DefinitionReader in = new DefinitionReader(file.toString(), problems);
    Map<String, Object> root = readRoot(file, in, problems);
    if (root == null) {
      return null;
    }
    in.onlyKeys(root, "", SURVEY_KEYS, "a survey");
    String id = in.string(root, "id", "", true);
    if (id != null && (!SURVEY_ID.matcher(id).matches() || id.length() > 64)) {
      in.problem("id", "'" + id + "' must be lower-case letters and digits separated by single hyphens (at most 64)");
    }
    Integer version = in.integer(root, "version", "", true);
    if (version != null && version < 1) {
      in.problem("version", "must be 1 or more");
    }
    List<String> languages = readLanguages(in, root);
    LocalizedText title = in.text(root, "title", "", true, languages);
    LocalizedText description = in.text(root, "description", "", false, languages);
    LocalizedText monitoringIntro = in.text(root, "monitoring_intro", "", false, languages);
    LocalDate opens = date(in, root, "opens");
    LocalDate closes = date(in, root, "closes");
    if (opens != null && closes != null && closes.isBefore(opens)) {
      in.problem("closes", "is before opens (" + opens + ")");
    }
    SurveyChannels channels = readChannels(in, root, languages);
    List<Question> questions = readQuestions(in, root, languages, partnership);
    Integer retentionDays = in.integer(root, "retention_days", "", false);
    if (retentionDays != null && (retentionDays < 1 || retentionDays > 36_500)) {
      in.problem("retention_days", "must be from 1 to 36500 days");
    }
    if (problems.size() != before) {
      return null;
    }
    return new SurveyDefinition(id, version, title, description, monitoringIntro, languages, opens, closes, channels, questions,
        file.toString(), retentionDays);
  }

  private static List<String> readLanguages(DefinitionReader in, Map<String, Object> root) {
    List<Object> list = in.list(root, "languages", "", true);
    List<String> languages = new ArrayList<>();
    if (list == null) {
      return languages;
    }
    if (list.isEmpty()) {
      in.problem("languages", "must list at least one language; the first is the default");
    }
    for (int i = 0; i < list.size(); i++) {
      Object language = list.get(i);
      if (!(language instanceof String code) || !LANGUAGE.matcher(code).matches()) {
        in.problem(item("languages", i), "must be a language code such as en or pl" + DefinitionReader.found(language));
      } else if (languages.contains(code)) {
        in.problem(item("languages", i), "'" + code + "' is listed twice");
      } else {
        languages.add(code);
      }
    }
    return languages;
  }

  private static LocalDate date(DefinitionReader in, Map<String, Object> root, String key) {
    String raw = in.string(root, key, "", false);
    if (raw == null) {
      return null;
    }
    try {
      return LocalDate.parse(raw);
    } catch (DateTimeException e) {
      in.problem(key, "must be a date written YYYY-MM-DD, not '" + raw + "'");
      return null;
    }
  }

  private static SurveyChannels readChannels(DefinitionReader in, Map<String, Object> root, List<String> languages) {
    Map<String, Object> channels = in.optionalMap(root, "channels", "");
    if (channels == null) {
      return new SurveyChannels(true, List.of(), null);
    }
    in.onlyKeys(channels, "channels", Set.of("web", "sms", "paper"), "channels");
    boolean web = !channels.containsKey("web") || in.bool(channels, "web", "channels");
    List<SurveyChannels.Keyword> keywords = new ArrayList<>();
    Map<String, Object> sms = in.optionalMap(channels, "sms", "channels");
    if (sms != null) {
      in.onlyKeys(sms, "channels.sms", Set.of("keywords"), "the SMS channel");
      readKeywords(in, sms.get("keywords"), languages, keywords);
    }
    SurveyChannels.Paper paperChannel = null;
    Map<String, Object> paper = in.optionalMap(channels, "paper", "channels");
    if (paper != null) {
      in.onlyKeys(paper, "channels.paper", Set.of("form_code", "numbering", "double_entry"), "the paper channel");
      String formCode = in.string(paper, "form_code", "channels.paper", true);
      if (formCode != null && !FORM_CODE.matcher(formCode).matches()) {
        in.problem("channels.paper.form_code", "must be 1-16 capital letters, digits or hyphens, not '" + formCode + "'");
      }
      SurveyChannels.Numbering numbering = SurveyChannels.Numbering.NUMBERS;
      String rawNumbering = in.string(paper, "numbering", "channels.paper", false);
      if (rawNumbering != null) {
        if (rawNumbering.equals("numbers") || rawNumbering.equals("letters")) {
          numbering = SurveyChannels.Numbering.valueOf(rawNumbering.toUpperCase(java.util.Locale.ROOT));
        } else {
          in.problem("channels.paper.numbering", "must be numbers or letters, not '" + rawNumbering + "'");
        }
      }
      boolean doubleEntry = paper.containsKey("double_entry") && in.bool(paper, "double_entry", "channels.paper");
      paperChannel = new SurveyChannels.Paper(formCode, numbering, doubleEntry);
    }
    return new SurveyChannels(web, keywords, paperChannel);
  }

  /** Keywords are a list (in the default language) or a mapping of language to list. */
  private static void readKeywords(DefinitionReader in, Object raw, List<String> languages,
      List<SurveyChannels.Keyword> out) {
    String path = "channels.sms.keywords";
    if (raw == null) {
      in.problem(path, "is required: the words a resident texts to start this survey");
      return;
    }
    String defaultLanguage = languages.isEmpty() ? "en" : languages.get(0);
    Map<String, List<?>> byLanguage = new LinkedHashMap<>();
    if (raw instanceof List<?> list) {
      byLanguage.put(defaultLanguage, list);
    } else {
      Map<String, Object> map = in.map(raw, path);
      if (map == null) {
        return;
      }
      map.forEach((language, words) -> {
        if (!languages.contains(language)) {
          in.problem(child(path, language), "language '" + language + "' is not in the survey's languages " + languages);
        } else if (words instanceof List<?> list) {
          byLanguage.put(language, list);
        } else {
          in.problem(child(path, language), "must be a list of keywords" + DefinitionReader.found(words));
        }
      });
    }
    byLanguage.forEach((language, words) -> {
      String listPath = raw instanceof List ? path : child(path, language);
      for (int i = 0; i < words.size(); i++) {
        Object word = words.get(i);
        String normalized = word instanceof String s ? normalizeKeyword(s) : "";
        if (!KEYWORD.matcher(normalized).matches()) {
          in.problem(item(listPath, i), "must be one word of 2-20 letters or digits" + DefinitionReader.found(word));
        } else if (RESERVED_KEYWORDS.contains(normalized)) {
          in.problem(item(listPath, i), "'" + word + "' is reserved for opt-out, opt-in and help messages");
        } else {
          out.add(new SurveyChannels.Keyword(normalized, language));
        }
      }
    });
    if (out.isEmpty() && byLanguage.values().stream().allMatch(List::isEmpty)) {
      in.problem(path, "must name at least one keyword");
    }
  }

  /** Keywords compare without case and spaces, as residents type them. */
  public static String normalizeKeyword(String word) {
    return word.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------- questions

  private static List<Question> readQuestions(DefinitionReader in, Map<String, Object> root, List<String> languages,
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

  private static Question readQuestion(DefinitionReader in, Map<String, Object> raw, String path,
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
        maxLength, themes, showIf, monitoring, indicator);
  }

  private static Map<Integer, LocalizedText> readLabels(DefinitionReader in, Map<String, Object> raw, String path,
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

  private static List<ChoiceOption> readOptions(DefinitionReader in, Map<String, Object> raw, String path,
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
        in.onlyKeys(option, optionPath, Set.of("value", "text", "sms"), "an option");
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

  private static ShowIf readShowIf(DefinitionReader in, Map<String, Object> raw, String path,
      Map<String, Question> earlier) {
    String showPath = child(path, "show_if");
    Map<String, Object> showIf = in.optionalMap(raw, "show_if", path);
    if (showIf == null) {
      return null;
    }
    in.onlyKeys(showIf, showPath, Set.of("question", "includes", "equals"), "show_if");
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

  private static Indicator readIndicator(DefinitionReader in, Map<String, Object> raw, String path,
      QuestionType type, Double min, Double max, List<ChoiceOption> options) {
    String indicatorPath = child(path, "indicator");
    Map<String, Object> indicator = in.optionalMap(raw, "indicator", path);
    if (indicator == null) {
      return null;
    }
    in.onlyKeys(indicator, indicatorPath, Set.of("name", "favourable", "target"), "an indicator");
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

  private static boolean inScale(Question question, String value) {
    return inRange(value, question.min(), question.max());
  }

  private static boolean inRange(String value, double min, double max) {
    try {
      int point = Integer.parseInt(value);
      return point >= min && point <= max;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- across files

  private static void checkAcrossSurveys(List<SurveyDefinition> surveys, Partnership partnership,
      List<DefinitionProblem> problems) {
    Map<String, String> ids = new HashMap<>();
    Map<String, String> keywords = new HashMap<>();
    Map<String, String> formCodes = new HashMap<>();
    for (SurveyDefinition survey : surveys) {
      String file = survey.sourceFile();
      String otherId = ids.putIfAbsent(survey.id(), file);
      if (otherId != null) {
        problems.add(new DefinitionProblem(file, "id", "'" + survey.id() + "' is also the id of " + otherId));
      }
      for (SurveyChannels.Keyword keyword : survey.channels().smsKeywords()) {
        String other = keywords.putIfAbsent(keyword.word(), survey.id());
        if (other != null && !other.equals(survey.id())) {
          problems.add(new DefinitionProblem(file, "channels.sms.keywords",
              "keyword '" + keyword.word() + "' also starts survey " + other));
        }
      }
      String formCode = survey.channels().paperFormCode();
      if (formCode != null) {
        String other = formCodes.putIfAbsent(formCode, survey.id());
        if (other != null) {
          problems.add(new DefinitionProblem(file, "channels.paper.form_code",
              "form code '" + formCode + "' is also used by survey " + other));
        }
      }
    }
    if (partnership != null) {
      checkPopulationGroups(surveys, partnership, problems);
    }
  }

  /** Population values for a monitoring group must be answers that group's question can give. */
  private static void checkPopulationGroups(List<SurveyDefinition> surveys, Partnership partnership,
      List<DefinitionProblem> problems) {
    partnership.population().forEach((group, shares) -> {
      for (SurveyDefinition survey : surveys) {
        survey.question(group).filter(Question::monitoring).ifPresent(question -> shares.keySet().stream()
            .filter(value -> !question.allowsChoice(value))
            .forEach(value -> problems.add(new DefinitionProblem(survey.sourceFile(), "questions." + group,
                "partnership.yaml population." + group + " names '" + value + "', which is not an option here"))));
      }
    });
  }
}
