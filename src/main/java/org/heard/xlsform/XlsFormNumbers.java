package org.heard.xlsform;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.xlsform.XlsFormWorkbook.SheetRow;

/** XLSForm's Likert lists and ranges as Heard's scales and numbers. */
final class XlsFormNumbers {
  private static final Pattern RANGE_PARAMETER = Pattern.compile("(start|end|step)\\s*=\\s*(-?\\d+(?:\\.\\d+)?)");

  private XlsFormNumbers() {
  }

  /** A list of consecutive whole numbers (a Likert scale) as Heard's scale with its labels; false if it is not one. */
  static boolean scale(List<XlsFormChoices.Choice> listed, Map<String, Object> q, XlsFormTexts texts) {
    List<Integer> points = new ArrayList<>();
    for (XlsFormChoices.Choice choice : listed) {
      try {
        points.add(Integer.parseInt(choice.name()));
      } catch (NumberFormatException e) {
        return false;
      }
    }
    for (int i = 1; i < points.size(); i++) {
      if (points.get(i) != points.get(i - 1) + 1) {
        return false;
      }
    }
    if (points.size() < 2 || points.size() > 11) {
      return false;
    }
    q.put("type", "scale");
    q.put("min", points.get(0));
    q.put("max", points.get(points.size() - 1));
    Map<Object, Object> labels = new LinkedHashMap<>();
    for (XlsFormChoices.Choice choice : listed) {
      Map<String, String> label = texts.of(choice.row(), "label");
      if (!label.isEmpty() && !label.values().iterator().next().equals(choice.name())) {
        labels.put(Integer.parseInt(choice.name()), XlsFormTexts.yaml(label));
      }
    }
    if (!labels.isEmpty()) {
      q.put("labels", labels);
    }
    return true;
  }

  /** XLSForm's range: a scale when it steps by one over at most 11 points, else a number between its ends. */
  static void range(SheetRow row, Map<String, Object> q, XlsFormReport report) {
    Map<String, BigDecimal> parameters = new HashMap<>(Map.of("start", BigDecimal.ONE, "end", BigDecimal.TEN,
        "step", BigDecimal.ONE));
    Matcher m = RANGE_PARAMETER.matcher(row.get("parameters"));
    while (m.find()) {
      parameters.put(m.group(1), new BigDecimal(m.group(2)));
    }
    BigDecimal start = parameters.get("start");
    BigDecimal end = parameters.get("end");
    boolean whole = start.stripTrailingZeros().scale() <= 0 && end.stripTrailingZeros().scale() <= 0;
    if (whole && parameters.get("step").compareTo(BigDecimal.ONE) == 0 && end.subtract(start).intValue() >= 1
        && end.subtract(start).intValue() <= 10) {
      q.put("type", "scale");
      q.put("min", start.intValue());
      q.put("max", end.intValue());
      return;
    }
    q.put("type", "number");
    q.put("min", number(start));
    q.put("max", number(end));
    report.row("survey", row, "range '" + row.get("parameters") + "' becomes a number from " + start.toPlainString()
        + " to " + end.toPlainString() + ": Heard's scales step by one over at most 11 points");
  }

  /** A bound as the survey format writes it: 12, not 12.0. */
  static Object number(BigDecimal value) {
    BigDecimal plain = value.stripTrailingZeros();
    return plain.scale() <= 0 ? (Object) plain.longValueExact() : plain.doubleValue();
  }
}
