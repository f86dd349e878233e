package org.heard.survey;

import static org.heard.survey.DefinitionReader.child;
import static org.heard.survey.DefinitionReader.item;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
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
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*");
  private static final Pattern KEYWORD = Pattern.compile("[\\p{L}\\p{N}]{2,20}");
  private static final Pattern FORM_CODE = Pattern.compile("[A-Z0-9][A-Z0-9-]{0,15}");
  /** SMS words that always mean opt-out, opt-in or help, so no survey may use them as a keyword. */
  static final Set<String> RESERVED_KEYWORDS = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END",
      "QUIT", "START", "UNSTOP", "YES", "HELP", "INFO", "SKIP");
  static final Set<String> SURVEY_KEYS = Set.of("id", "version", "title", "description", "languages",
      "opens", "closes", "channels", "questions", "monitoring_intro", "retention_days");
  static final Set<String> CHANNEL_KEYS = Set.of("web", "sms", "paper");
  static final Set<String> SMS_KEYS = Set.of("keywords");
  static final Set<String> PAPER_KEYS = Set.of("form_code", "numbering", "double_entry");

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
    Partnership partnership = partnershipFiles.isEmpty() ? null : PartnershipReader.readPartnership(partnershipFiles.get(0), problems);
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

  static boolean isDefinitionFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(file) && !name.startsWith(".")
        && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
  }

  static boolean isPartnershipFile(Path file) {
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
  static Map<String, Object> readRoot(Path file, DefinitionReader in, List<DefinitionProblem> problems) {
    Object document = parse(file, problems);
    return document == null ? null : in.map(document, "");
  }

  // ---------------------------------------------------------------- partnership

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
    List<Question> questions = QuestionReader.readQuestions(in, root, languages, partnership);
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
    in.onlyKeys(channels, "channels", CHANNEL_KEYS, "channels");
    boolean web = !channels.containsKey("web") || in.bool(channels, "web", "channels");
    List<SurveyChannels.Keyword> keywords = new ArrayList<>();
    Map<String, Object> sms = in.optionalMap(channels, "sms", "channels");
    if (sms != null) {
      in.onlyKeys(sms, "channels.sms", SMS_KEYS, "the SMS channel");
      readKeywords(in, sms.get("keywords"), languages, keywords);
    }
    SurveyChannels.Paper paperChannel = null;
    Map<String, Object> paper = in.optionalMap(channels, "paper", "channels");
    if (paper != null) {
      in.onlyKeys(paper, "channels.paper", PAPER_KEYS, "the paper channel");
      String formCode = in.string(paper, "form_code", "channels.paper", true);
      if (formCode != null && !FORM_CODE.matcher(formCode).matches()) {
        in.problem("channels.paper.form_code", "must be 1-16 capital letters, digits or hyphens, not '" + formCode + "'");
      }
      SurveyChannels.Numbering numbering = SurveyChannels.Numbering.NUMBERS;
      String rawNumbering = in.string(paper, "numbering", "channels.paper", false);
      if (rawNumbering != null) {
        if (rawNumbering.equals("numbers") || rawNumbering.equals("letters")) {
          numbering = SurveyChannels.Numbering.valueOf(rawNumbering.toUpperCase(Locale.ROOT));
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
