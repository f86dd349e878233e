package org.heard.xlsform;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.heard.i18n.Messages;
import org.heard.survey.Area;
import org.heard.survey.ChoiceOption;
import org.heard.survey.LocalizedText;
import org.heard.survey.Partnership;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyChannels;
import org.heard.survey.SurveyDefinition;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Writes a survey as an XLSForm that ODK, KoboToolbox and other XLSForm tools read: pages as
 * groups, scales as Likert lists, areas and consent as lists, show_if as {@code relevant}, ranges
 * and lengths as {@code constraint}. What XLSForm has no column for goes in {@code heard_...}
 * columns ({@link XlsFormHeardColumns}), so {@code import-xlsform} gives the same survey back.
 */
final class XlsFormExport {
  private static final String AREAS_LIST = "areas";

  private XlsFormExport() {
  }

  static void write(SurveyDefinition survey, Partnership partnership, Messages messages, OutputStream out)
      throws IOException {
    Workbook workbook = new Workbook(out, "Heard", "1.0");
    List<String> languages = survey.languages();
    Sheet surveySheet = new Sheet(workbook.newWorksheet("survey"));
    Sheet choices = new Sheet(workbook.newWorksheet("choices"));
    Sheet settings = new Sheet(workbook.newWorksheet("settings"));
    Map<String, Boolean> listsWritten = new LinkedHashMap<>();
    boolean inGroup = false;
    int page = 0;
    for (Question q : survey.questions()) {
      if (q.section() != null) {
        if (inGroup) {
          surveySheet.row(Map.of("type", "end_group"));
        }
        Map<String, String> group = new LinkedHashMap<>();
        group.put("type", "begin_group");
        group.put("name", "page_" + ++page);
        texts(group, "label", q.section(), languages);
        surveySheet.row(group);
        inGroup = true;
      }
      surveySheet.row(question(q, survey, partnership, messages, choices, listsWritten));
    }
    if (inGroup) {
      surveySheet.row(Map.of("type", "end_group"));
    }
    settings.row(settingsRow(survey));
    surveySheet.finish();
    choices.finish();
    settings.finish();
    workbook.finish();
  }

  private static Map<String, String> question(Question q, SurveyDefinition survey, Partnership partnership,
                                              Messages messages, Sheet choices, Map<String, Boolean> lists) {
    List<String> languages = survey.languages();
    Map<String, String> row = new LinkedHashMap<>();
    row.put("name", q.id());
    texts(row, "label", q.text(), languages);
    texts(row, "hint", q.hint(), languages);
    if (q.isRequired()) {
      row.put("required", "yes");
    }
    if (q.showIf() != null) {
      row.put("relevant", q.showIf().includes() ? "selected(${" + q.showIf().question() + "}, '" + q.showIf().value() + "')"
          : "${" + q.showIf().question() + "} = '" + q.showIf().value() + "'");
    }
    switch (q.type()) {
      case TEXT -> {
        row.put("type", "text");
        if (q.maxLength() != null) {
          row.put("constraint", "string-length(.) <= " + q.maxLength());
        }
      }
      case NUMBER -> {
        row.put("type", q.wholeNumber() ? "integer" : "decimal");
        List<String> bounds = new ArrayList<>();
        if (q.min() != null) {
          bounds.add(". >= " + q.minText());
        }
        if (q.max() != null) {
          bounds.add(". <= " + q.maxText());
        }
        if (!bounds.isEmpty()) {
          row.put("constraint", String.join(" and ", bounds));
        }
      }
      case SCALE -> {
        row.put("type", "select_one " + q.id());
        row.put("appearance", "likert");
        row.put(XlsFormHeardColumns.TYPE, "scale");
        for (int point = q.min().intValue(); point <= q.max().intValue(); point++) {
          Map<String, String> choice = choice(q.id(), String.valueOf(point));
          LocalizedText label = q.labels().get(point);
          texts(choice, "label", label == null ? LocalizedText.of(survey.defaultLanguage(), String.valueOf(point)) : label,
              languages);
          choices.row(choice);
        }
      }
      case AREA -> {
        row.put("type", "select_one " + AREAS_LIST);
        row.put(XlsFormHeardColumns.TYPE, "area");
        if (lists.putIfAbsent(AREAS_LIST, true) == null) {
          for (Area area : partnership.areas()) {
            Map<String, String> choice = choice(AREAS_LIST, area.code());
            choice.put(labelColumn("label", survey.defaultLanguage()), area.name());
            choices.row(choice);
          }
        }
      }
      case CONSENT -> {
        row.put("type", "select_one " + q.id());
        row.put(XlsFormHeardColumns.TYPE, "consent");
        for (String answer : List.of("true", "false")) {
          Map<String, String> choice = choice(q.id(), answer);
          for (String language : languages) {
            choice.put(labelColumn("label", language), messages.get(language, answer.equals("true") ? "yes" : "no"));
          }
          choices.row(choice);
        }
      }
      case SINGLE_CHOICE, MULTI_CHOICE -> {
        boolean multi = q.type() == QuestionType.MULTI_CHOICE;
        row.put("type", (multi ? "select_multiple " : "select_one ") + q.id());
        if (multi && q.maxChoices() != null) {
          row.put("constraint", "count-selected(.) <= " + q.maxChoices());
        }
        for (ChoiceOption option : q.options()) {
          Map<String, String> choice = choice(q.id(), option.value());
          texts(choice, "label", option.text(), languages);
          texts(choice, XlsFormHeardColumns.SMS, option.sms(), languages);
          choices.row(choice);
        }
        if (q.monitoring()) {
          // Heard adds "Prefer not to say" itself; other tools need it written.
          Map<String, String> choice = choice(q.id(), Question.PREFER_NOT_TO_SAY);
          for (String language : languages) {
            choice.put(labelColumn("label", language), messages.get(language, "prefer.not"));
          }
          choices.row(choice);
        }
      }
      default -> throw new IllegalStateException("no XLSForm type for " + q.type());
    }
    texts(row, XlsFormHeardColumns.SMS, q.sms(), languages);
    if (q.monitoring()) {
      row.put(XlsFormHeardColumns.MONITORING, "yes");
    }
    if (q.themes()) {
      row.put(XlsFormHeardColumns.THEMES, "yes");
    }
    if (q.indicator() != null) {
      Map<String, Object> indicator = new LinkedHashMap<>();
      indicator.put("name", q.indicator().name());
      indicator.put("favourable", q.indicator().favourable());
      indicator.put("target", q.indicator().target());
      row.put(XlsFormHeardColumns.INDICATOR, flow(indicator));
    }
    return row;
  }

  private static Map<String, String> settingsRow(SurveyDefinition survey) {
    List<String> languages = survey.languages();
    Map<String, String> row = new LinkedHashMap<>();
    row.put("form_id", survey.id());
    row.put("version", String.valueOf(survey.version()));
    row.put("default_language", XlsFormLanguages.columnName(survey.defaultLanguage()));
    row.put("form_title", survey.title().byLanguage().get(survey.defaultLanguage()));
    survey.title().byLanguage().forEach((language, text) -> {
      if (!language.equals(survey.defaultLanguage())) {
        row.put(labelColumn("form_title", language), text);
      }
    });
    texts(row, XlsFormHeardColumns.DESCRIPTION, survey.description(), languages);
    texts(row, XlsFormHeardColumns.MONITORING_INTRO, survey.monitoringIntro(), languages);
    if (survey.opens() != null) {
      row.put(XlsFormHeardColumns.OPENS, survey.opens().toString());
    }
    if (survey.closes() != null) {
      row.put(XlsFormHeardColumns.CLOSES, survey.closes().toString());
    }
    if (survey.retentionDays() != null) {
      row.put(XlsFormHeardColumns.RETENTION_DAYS, String.valueOf(survey.retentionDays()));
    }
    row.put(XlsFormHeardColumns.CHANNELS, flow(channels(survey.channels())));
    return row;
  }

  private static Map<String, Object> channels(SurveyChannels channels) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("web", channels.web());
    if (channels.sms()) {
      Map<String, List<String>> keywords = new LinkedHashMap<>();
      channels.smsKeywords().forEach(k -> keywords.computeIfAbsent(k.language(), l -> new ArrayList<>()).add(k.word()));
      map.put("sms", Map.of("keywords", keywords));
    }
    if (channels.paper() != null) {
      Map<String, Object> paper = new LinkedHashMap<>();
      paper.put("form_code", channels.paper().formCode());
      paper.put("numbering", channels.paper().numbering().key());
      paper.put("double_entry", channels.paper().doubleEntry());
      map.put("paper", paper);
    }
    return map;
  }

  private static Map<String, String> choice(String list, String name) {
    Map<String, String> choice = new LinkedHashMap<>();
    choice.put("list_name", list);
    choice.put("name", name);
    return choice;
  }

  private static void texts(Map<String, String> row, String column, LocalizedText text, List<String> languages) {
    if (text == null) {
      return;
    }
    for (String language : languages) {
      String inLanguage = text.byLanguage().get(language);
      if (inLanguage != null) {
        row.put(labelColumn(column, language), inLanguage);
      }
    }
  }

  private static String labelColumn(String column, String language) {
    return column + "::" + XlsFormLanguages.columnName(language);
  }

  private static String flow(Object value) {
    return new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.FLOW).setWidth(10_000).build())
        .dumpToString(value).strip();
  }

  /** A sheet whose columns are added as rows name them, written with its header row first. */
  private static final class Sheet {
    private final Worksheet worksheet;
    private final List<String> columns = new ArrayList<>();
    private final List<Map<String, String>> rows = new ArrayList<>();

    Sheet(Worksheet worksheet) {
      this.worksheet = worksheet;
    }

    void row(Map<String, String> cells) {
      cells.keySet().stream().filter(c -> !columns.contains(c)).forEach(columns::add);
      rows.add(cells);
    }

    void finish() throws IOException {
      // type and name first, as XLSForm tools and people expect.
      List<String> order = new ArrayList<>();
      for (String first : List.of("type", "list_name", "name")) {
        if (columns.remove(first)) {
          order.add(first);
        }
      }
      order.addAll(columns);
      for (int c = 0; c < order.size(); c++) {
        worksheet.value(0, c, order.get(c));
      }
      for (int r = 0; r < rows.size(); r++) {
        for (int c = 0; c < order.size(); c++) {
          String value = rows.get(r).get(order.get(c));
          if (value != null) {
            worksheet.value(r + 1, c, value);
          }
        }
      }
      worksheet.finish();
    }
  }
}
