package org.heard.xlsform;

import java.time.LocalDate;
import java.util.Map;
import org.heard.xlsform.XlsFormWorkbook.SheetRow;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The columns {@code export-xlsform} adds for what XLSForm has no column for (an indicator, SMS
 * wording, equality monitoring, theme analysis, channels, dates), all named {@code heard_...} so
 * other XLSForm tools pass them by. Structured values are YAML flow text, as the survey format writes them.
 */
final class XlsFormHeardColumns {
  static final String TYPE = "heard_type";
  static final String SMS = "heard_sms";
  static final String MONITORING = "heard_monitoring";
  static final String THEMES = "heard_themes";
  static final String INDICATOR = "heard_indicator";
  static final String DESCRIPTION = "heard_description";
  static final String MONITORING_INTRO = "heard_monitoring_intro";
  static final String OPENS = "heard_opens";
  static final String CLOSES = "heard_closes";
  static final String RETENTION_DAYS = "heard_retention_days";
  static final String CHANNELS = "heard_channels";
  /** Excel counts days from 1899-12-30 in a date cell. */
  private static final LocalDate EXCEL_EPOCH = LocalDate.of(1899, 12, 30);

  private XlsFormHeardColumns() {
  }

  static void readSettings(SheetRow settings, XlsFormTexts texts, Map<String, Object> definition, XlsFormReport report) {
    Map<String, String> title = texts.of(settings, "form_title");
    if (title.size() > 1) {
      definition.put("title", XlsFormTexts.yaml(title));
    }
    Map<String, String> description = texts.of(settings, DESCRIPTION);
    if (!description.isEmpty()) {
      definition.put("description", XlsFormTexts.yaml(description));
    }
    Map<String, String> intro = texts.of(settings, MONITORING_INTRO);
    if (!intro.isEmpty()) {
      definition.put("monitoring_intro", XlsFormTexts.yaml(intro));
    }
    date(settings, OPENS, "opens", definition);
    date(settings, CLOSES, "closes", definition);
    if (!settings.get(RETENTION_DAYS).isEmpty()) {
      try {
        definition.put("retention_days", Integer.parseInt(settings.get(RETENTION_DAYS)));
      } catch (NumberFormatException e) {
        report.row("settings", settings, RETENTION_DAYS + " '" + settings.get(RETENTION_DAYS) + "' is not a whole "
            + "number of days: left out");
      }
    }
    Object channels = flow(settings, CHANNELS, report, "settings");
    if (channels != null) {
      definition.put("channels", channels);
    }
  }

  static void readQuestion(SheetRow row, XlsFormTexts texts, Map<String, Object> question, XlsFormReport report) {
    Map<String, String> sms = texts.of(row, SMS);
    if (!sms.isEmpty()) {
      question.put("sms", XlsFormTexts.yaml(sms));
    }
    if (row.get(THEMES).equalsIgnoreCase("yes")) {
      question.put("themes", true);
    }
    if (row.get(MONITORING).equalsIgnoreCase("yes")) {
      question.put("monitoring", true);
      question.remove("required");
    }
    Object indicator = flow(row, INDICATOR, report, "survey");
    if (indicator != null) {
      question.put("indicator", indicator);
    }
  }

  private static void date(SheetRow settings, String column, String key, Map<String, Object> definition) {
    String raw = settings.get(column);
    if (raw.isEmpty()) {
      return;
    }
    // A date typed into Excel is stored as a day count; the survey format writes YYYY-MM-DD.
    definition.put(key, raw.matches("\\d{1,6}") ? EXCEL_EPOCH.plusDays(Long.parseLong(raw)).toString() : raw);
  }

  private static Object flow(SheetRow row, String column, XlsFormReport report, String sheet) {
    String raw = row.get(column);
    if (raw.isEmpty()) {
      return null;
    }
    try {
      return new Load(LoadSettings.builder().build()).loadFromString(raw);
    } catch (YamlEngineException e) {
      report.row(sheet, row, column + " is not YAML text (" + e.getMessage().lines().findFirst().orElse("") + "): left out");
      return null;
    }
  }
}
