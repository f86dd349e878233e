package org.heard.xlsform;

import java.util.ArrayList;
import java.util.List;
import org.heard.survey.DefinitionProblem;
import org.heard.xlsform.XlsFormWorkbook.SheetRow;

/**
 * What an XLSForm conversion could not carry over (or changed), each with the sheet and row, in the
 * format {@code validate} prints: nothing in the form is dropped without a line here.
 */
final class XlsFormReport {
  private final String file;
  private final List<DefinitionProblem> lines = new ArrayList<>();

  XlsFormReport(String file) {
    this.file = file;
  }

  void row(String sheet, SheetRow row, String message) {
    lines.add(new DefinitionProblem(file, sheet + " row " + row.number(), message));
  }

  void sheet(String sheet, String message) {
    lines.add(new DefinitionProblem(file, sheet, message));
  }

  List<DefinitionProblem> lines() {
    return List.copyOf(lines);
  }

  /** A cell's value short enough to read in a report line. */
  static String shorten(String value) {
    String flat = value.replaceAll("\\s+", " ");
    return flat.length() <= 60 ? flat : flat.substring(0, 57) + "...";
  }

  static boolean isMedia(String column) {
    return column.startsWith("media::") || column.startsWith("image") || column.startsWith("audio")
        || column.startsWith("video") || column.startsWith("big-image");
  }
}
