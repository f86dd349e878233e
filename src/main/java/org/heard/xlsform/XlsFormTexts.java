package org.heard.xlsform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.heard.xlsform.XlsFormWorkbook.SheetRow;

/**
 * Which language each label and hint column is in, and the texts of a row in the survey's
 * languages. A column without a language ({@code label}) is in the default language; a language
 * Heard has no message file for is left out, reported once.
 */
final class XlsFormTexts {
  private final String defaultLanguage;
  private final List<String> languages;
  /** Column suffix (as written) to language code, for the languages kept. */
  private final Map<String, String> suffixes = new LinkedHashMap<>();

  XlsFormTexts(XlsFormWorkbook book, Predicate<String> supported, XlsFormReport report) {
    Set<String> columnSuffixes = new LinkedHashSet<>();
    boolean plainLabels = false;
    for (String sheet : List.of("survey", "choices")) {
      for (SheetRow row : book.sheet(sheet).orElse(List.of())) {
        for (String column : row.cells().keySet()) {
          if (isTextColumn(column) && column.contains("::")) {
            columnSuffixes.add(column.substring(column.indexOf("::") + 2));
          } else if (isTextColumn(column)) {
            plainLabels = true;
          }
        }
      }
    }
    String declared = book.sheet("settings").flatMap(rows -> rows.stream().findFirst())
        .map(row -> row.get("default_language")).filter(s -> !s.isEmpty()).orElse(null);
    Map<String, String> known = new LinkedHashMap<>();
    for (String suffix : columnSuffixes) {
      Optional<String> code = XlsFormLanguages.code(suffix);
      if (code.isEmpty()) {
        report.sheet("survey", "columns in '" + suffix + "' are left out: Heard cannot tell which language that is "
            + "(write it as XLSForm recommends, e.g. 'English (en)')");
      } else {
        known.put(suffix, code.get());
      }
    }
    String chosen = declared == null ? null : XlsFormLanguages.code(declared).orElse(null);
    if (declared != null && chosen == null) {
      report.sheet("settings", "default_language '" + declared + "' is not a language Heard can tell: English (en) is used");
    }
    if (chosen == null) {
      if (plainLabels || known.isEmpty()) {
        chosen = "en";
        if (plainLabels && declared == null) {
          report.sheet("settings", "labels without a language are taken as English (en): set default_language "
              + "in the settings sheet if they are not");
        }
      } else {
        chosen = known.values().iterator().next();
      }
    }
    defaultLanguage = chosen;
    List<String> kept = new ArrayList<>(List.of(chosen));
    for (Map.Entry<String, String> e : known.entrySet()) {
      String code = e.getValue();
      if (code.equals(chosen) || supported.test(code)) {
        suffixes.put(e.getKey(), code);
        if (!kept.contains(code)) {
          kept.add(code);
        }
      } else {
        report.sheet("survey", "texts in '" + e.getKey() + "' are left out: Heard has no message file for '" + code
            + "' (its own words: buttons, errors, SMS instructions); add messages/" + code + ".properties and import again");
      }
    }
    languages = List.copyOf(kept);
  }

  private static boolean isTextColumn(String column) {
    return column.equals("label") || column.equals("hint") || column.startsWith("label::") || column.startsWith("hint::");
  }

  String defaultLanguage() {
    return defaultLanguage;
  }

  List<String> languages() {
    return languages;
  }

  /** The row's texts in {@code column} (label, hint, heard_sms) by language, default first; empty if none. */
  Map<String, String> of(SheetRow row, String column) {
    Map<String, String> texts = new LinkedHashMap<>();
    String plain = row.get(column);
    if (!plain.isEmpty()) {
      texts.put(defaultLanguage, plain);
    }
    suffixes.forEach((suffix, code) -> {
      String text = row.get(column + "::" + suffix);
      if (!text.isEmpty() && !text.equals("-")) {
        texts.putIfAbsent(code, text);
      }
    });
    if (!texts.isEmpty() && !texts.containsKey(defaultLanguage)) {
      return Map.of();
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    ordered.put(defaultLanguage, texts.get(defaultLanguage));
    texts.forEach(ordered::putIfAbsent);
    return texts.isEmpty() ? Map.of() : ordered;
  }

  /** A text as the survey format writes it: plain for one language, else a mapping by language. */
  static Object yaml(Map<String, String> texts) {
    return texts.size() == 1 ? texts.values().iterator().next() : new LinkedHashMap<>(texts);
  }

  /** Columns of texts by language (label, hint, heard_sms): read, or reported once for their whole column. */
  static boolean isRead(String column) {
    for (String base : List.of("label", "hint", XlsFormHeardColumns.SMS)) {
      if (column.equals(base) || column.startsWith(base + "::")) {
        return true;
      }
    }
    return false;
  }
}
