package org.heard.export;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.List;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * An .xlsx export written as it goes (fastexcel): rows are flushed into the zip every few hundred,
 * and what is written so far is taken out to send, so memory stays flat however many rows there
 * are. Cells are typed: numbers, booleans, times (local time in the partnership's zone, as a
 * spreadsheet has none), text written inline (no shared-strings table growing with the rows).
 */
final class XlsxSheets {
  private static final int ROWS_PER_FLUSH = 500;
  private static final String TIME_FORMAT = "yyyy-mm-dd hh:mm:ss";

  private final ByteArrayOutputStream written = new ByteArrayOutputStream(64 * 1024);
  private final Workbook workbook;
  private Worksheet sheet;
  private int row;

  XlsxSheets() {
    workbook = new Workbook(written, "Heard", "1.0");
  }

  /** Starts a sheet with its header row in bold, frozen, so it stays in view while scrolling. */
  void sheet(String name, List<String> header) {
    try {
      if (sheet != null) {
        sheet.finish();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sheet = workbook.newWorksheet(name);
    row = 0;
    for (int c = 0; c < header.size(); c++) {
      sheet.inlineString(0, c, header.get(c));
      sheet.style(0, c).bold().set();
    }
    sheet.freezePane(0, 1);
  }

  void row(List<?> cells) {
    row++;
    for (int c = 0; c < cells.size(); c++) {
      Object cell = cells.get(c);
      if (cell instanceof Number number) {
        sheet.value(row, c, number);
      } else if (cell instanceof Boolean bool) {
        sheet.value(row, c, bool);
      } else if (cell instanceof OffsetDateTime time) {
        sheet.value(row, c, time.toLocalDateTime());
        sheet.style(row, c).format(TIME_FORMAT).set();
      } else if (cell != null) {
        sheet.inlineString(row, c, String.valueOf(cell));
      }
    }
    if (row % ROWS_PER_FLUSH == 0) {
      try {
        sheet.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The bytes written since the last take, to send. */
  Buffer take() {
    if (written.size() == 0) {
      return Buffer.buffer();
    }
    Buffer out = Buffer.buffer(written.toByteArray());
    written.reset();
    return out;
  }

  /** Ends the workbook; the last bytes to send. */
  Buffer finish() {
    try {
      sheet.finish();
      workbook.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return take();
  }
}
