package org.heard.xlsform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.heard.xlsform.XlsFormWorkbook.SheetRow;

/** The choices sheet: each list's options in order, with their labels by language column. */
final class XlsFormChoices {
  record Choice(String name, SheetRow row) {
  }

  private final Map<String, List<Choice>> lists = new LinkedHashMap<>();
  private final Set<String> used = new HashSet<>();

  XlsFormChoices(List<SheetRow> rows, XlsFormReport report) {
    Set<String> otherColumns = new LinkedHashSet<>();
    for (SheetRow row : rows) {
      if (row.isBlank()) {
        continue;
      }
      String list = row.get("list_name");
      String name = row.get("name");
      if (list.isEmpty() || name.isEmpty()) {
        report.row("choices", row, "has no " + (list.isEmpty() ? "list_name" : "name") + ": the choice is left out");
        continue;
      }
      List<Choice> choices = lists.computeIfAbsent(list, k -> new ArrayList<>());
      if (choices.stream().anyMatch(c -> c.name().equals(name))) {
        report.row("choices", row, "'" + name + "' is already a choice of list '" + list + "': the second is left out");
        continue;
      }
      choices.add(new Choice(name, row));
      row.cells().keySet().stream().filter(column -> !isChoiceColumn(column)).forEach(otherColumns::add);
    }
    for (String column : otherColumns) {
      report.sheet("choices", "column '" + column + "' is not carried over: "
          + (XlsFormReport.isMedia(column) ? "Heard shows no images or sound with options"
              : "Heard shows every option of a list (no choice filters or extra properties)"));
    }
  }

  private static boolean isChoiceColumn(String column) {
    return column.equals("list_name") || column.equals("name") || column.equals("label") || column.startsWith("label::")
        || column.startsWith("heard_sms") || column.startsWith("$");
  }

  /** The list's choices, marking it used; null when there is no such list. */
  List<Choice> use(String list) {
    used.add(list);
    return lists.get(list);
  }

  /** Lists no question asks, each reported with its first row. */
  void reportUnused(XlsFormReport report) {
    lists.forEach((name, choices) -> {
      if (!used.contains(name)) {
        report.row("choices", choices.get(0).row(), "list '" + name + "' (" + choices.size()
            + " choices) is used by no question that was converted: left out");
      }
    });
  }
}
