package org.heard.xlsform;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;

/**
 * An XLSForm's sheets as rows of text keyed by column header. Sheet and column names are read the
 * way XLSForm tools read them: without case, {@code label:English} as {@code label::English}, and
 * {@code list name} as {@code list_name}; a column's language suffix keeps its case.
 */
record XlsFormWorkbook(Map<String, List<SheetRow>> sheets) {

  /** One row of a sheet: its number as the spreadsheet shows it, and its non-empty cells by column. */
  record SheetRow(int number, Map<String, String> cells) {
    String get(String column) {
      return cells.getOrDefault(column, "");
    }

    boolean isBlank() {
      return cells.values().stream().allMatch(String::isBlank);
    }
  }

  /** Reads an .xlsx workbook; fails with a plain reason when the bytes are not one. */
  static XlsFormWorkbook read(InputStream in) throws IOException {
    Map<String, List<SheetRow>> sheets = new LinkedHashMap<>();
    try (ReadableWorkbook workbook = new ReadableWorkbook(in)) {
      for (Sheet sheet : workbook.getSheets().toList()) {
        sheets.putIfAbsent(sheet.getName().strip().toLowerCase(Locale.ROOT), rows(sheet));
      }
    } catch (RuntimeException e) {
      // The reader reports damaged or non-xlsx files with unchecked exceptions of its own.
      throw new IOException("is not a readable .xlsx workbook (" + e.getMessage() + ")", e);
    }
    return new XlsFormWorkbook(sheets);
  }

  Optional<List<SheetRow>> sheet(String name) {
    return Optional.ofNullable(sheets.get(name));
  }

  private static List<SheetRow> rows(Sheet sheet) throws IOException {
    List<Row> rows = sheet.read();
    List<SheetRow> result = new ArrayList<>();
    List<String> headers = null;
    for (Row row : rows) {
      if (headers == null) {
        headers = new ArrayList<>();
        for (int i = 0; i < row.getCellCount(); i++) {
          Cell cell = row.getCell(i);
          headers.add(cell == null ? "" : header(text(cell)));
        }
        if (headers.stream().allMatch(String::isEmpty)) {
          headers = null;
        }
        continue;
      }
      Map<String, String> cells = new LinkedHashMap<>();
      for (int i = 0; i < Math.min(headers.size(), row.getCellCount()); i++) {
        Cell cell = row.getCell(i);
        String value = cell == null ? "" : text(cell).strip();
        if (!headers.get(i).isEmpty() && !value.isEmpty()) {
          cells.putIfAbsent(headers.get(i), value);
        }
      }
      result.add(new SheetRow(row.getRowNum(), cells));
    }
    return result;
  }

  /** A column header as XLSForm reads it: {@code LABEL:English (en)} becomes {@code label::English (en)}. */
  static String header(String raw) {
    String text = raw.strip().replaceAll("\\s+", " ");
    int colon = text.indexOf(':');
    String base = colon < 0 ? text : text.substring(0, colon);
    String rest = colon < 0 ? "" : text.substring(colon).replaceFirst("^::?", "::");
    // Media columns carry two parts (media::image::English); only the language keeps its case.
    String lowered = base.strip().toLowerCase(Locale.ROOT).replace(' ', '_');
    if (rest.startsWith("::image") || rest.startsWith("::audio") || rest.startsWith("::video")) {
      int second = rest.indexOf("::", 2);
      return lowered + (second < 0 ? rest.toLowerCase(Locale.ROOT) : rest.substring(0, second).toLowerCase(Locale.ROOT)
          + rest.substring(second));
    }
    return lowered + rest.strip();
  }

  /** A cell as the text a person typed: 12 not 12.0, TRUE/FALSE for logical cells. */
  private static String text(Cell cell) {
    String raw = cell.getRawValue();
    if (raw == null) {
      return "";
    }
    if (cell.getType() == CellType.BOOLEAN) {
      return raw.equals("1") ? "TRUE" : "FALSE";
    }
    if (cell.getType() == CellType.NUMBER) {
      try {
        return new BigDecimal(raw).stripTrailingZeros().toPlainString();
      } catch (NumberFormatException e) {
        return raw;
      }
    }
    return raw;
  }
}
