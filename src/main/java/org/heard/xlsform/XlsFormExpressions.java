package org.heard.xlsform;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The XPath expressions of XLSForm's {@code relevant} and {@code constraint} columns that Heard's
 * definition can say: one earlier answer equal to (or, for a multiple choice, including) a value,
 * a number range, a text length, a number of choices. Anything else is left to the caller to report.
 */
final class XlsFormExpressions {
  private static final String NAME = "\\$\\{\\s*([A-Za-z_][\\w.-]*)\\s*\\}";
  private static final String VALUE = "(?:'([^']*)'|\"([^\"]*)\"|(-?\\d+(?:\\.\\d+)?)|(true|false)\\(\\))";
  private static final Pattern EQUALS = Pattern.compile(NAME + "\\s*=\\s*" + VALUE);
  private static final Pattern EQUALS_REVERSED = Pattern.compile(VALUE + "\\s*=\\s*" + NAME);
  private static final Pattern SELECTED = Pattern.compile("selected\\s*\\(\\s*" + NAME + "\\s*,\\s*" + VALUE + "\\s*\\)");
  private static final Pattern BOUND = Pattern.compile("\\.\\s*(<=|>=|<|>)\\s*(-?\\d+(?:\\.\\d+)?)");
  private static final Pattern LENGTH = Pattern.compile("string-length\\s*\\(\\s*\\.\\s*\\)\\s*(<=|<)\\s*(\\d+)");
  private static final Pattern COUNT = Pattern.compile("count-selected\\s*\\(\\s*\\.\\s*\\)\\s*(<=|<)\\s*(\\d+)");

  private XlsFormExpressions() {
  }

  /** {@code ${q} = 'v'} (equals) or {@code selected(${q}, 'v')} (includes). */
  record Condition(String question, String value, boolean selected) {
  }

  /** A number range; either end may be null (open). */
  record Range(BigDecimal min, BigDecimal max) {
  }

  static Optional<Condition> condition(String expression) {
    String text = plainQuotes(strip(expression));
    Matcher m = EQUALS.matcher(text);
    if (m.matches()) {
      return Optional.of(new Condition(m.group(1), value(m, 2), false));
    }
    m = EQUALS_REVERSED.matcher(text);
    if (m.matches()) {
      return Optional.of(new Condition(m.group(5), value(m, 1), false));
    }
    m = SELECTED.matcher(text);
    if (m.matches()) {
      return Optional.of(new Condition(m.group(1), value(m, 2), true));
    }
    return Optional.empty();
  }

  /**
   * A conjunction of bounds on the answer ({@code . >= 0 and . <= 120}). Strict bounds are kept only
   * for whole numbers, where {@code . > 0} is {@code . >= 1}.
   */
  static Optional<Range> range(String expression, boolean wholeNumbers) {
    BigDecimal min = null;
    BigDecimal max = null;
    for (String term : strip(expression).split("\\s+and\\s+")) {
      Matcher m = BOUND.matcher(strip(term));
      if (!m.matches()) {
        return Optional.empty();
      }
      BigDecimal bound = new BigDecimal(m.group(2));
      boolean strict = m.group(1).length() == 1;
      if (strict && (!wholeNumbers || bound.stripTrailingZeros().scale() > 0)) {
        return Optional.empty();
      }
      switch (m.group(1)) {
        case ">=" -> min = bound;
        case ">" -> min = bound.add(BigDecimal.ONE);
        case "<=" -> max = bound;
        default -> max = bound.subtract(BigDecimal.ONE);
      }
    }
    return Optional.of(new Range(min, max));
  }

  /** {@code string-length(.) <= n}: the most characters a text may have. */
  static Optional<Integer> maxLength(String expression) {
    return limit(LENGTH, expression);
  }

  /** {@code count-selected(.) <= n}: the most options a multiple choice may have ticked. */
  static Optional<Integer> maxChoices(String expression) {
    return limit(COUNT, expression);
  }

  private static Optional<Integer> limit(Pattern pattern, String expression) {
    Matcher m = pattern.matcher(strip(expression));
    if (!m.matches()) {
      return Optional.empty();
    }
    int limit = Integer.parseInt(m.group(2));
    return Optional.of(m.group(1).equals("<") ? limit - 1 : limit);
  }

  private static String value(Matcher m, int first) {
    for (int i = first; i < first + 4; i++) {
      if (m.group(i) != null) {
        return m.group(i);
      }
    }
    return "";
  }

  /** Drops redundant outer brackets and spaces. */
  private static String strip(String expression) {
    String text = expression.strip();
    while (text.startsWith("(") && text.endsWith(")") && balanced(text.substring(1, text.length() - 1))) {
      text = text.substring(1, text.length() - 1).strip();
    }
    return text;
  }

  private static boolean balanced(String text) {
    int depth = 0;
    for (char c : text.toCharArray()) {
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (depth < 0) {
        return false;
      }
    }
    return depth == 0;
  }

  /** Spreadsheets turn typed quotes into typographic ones; XPath means the plain ones. */
  private static String plainQuotes(String text) {
    return text.replace('\u2018', '\'').replace('\u2019', '\'').replace('\u201C', '"').replace('\u201D', '"');
  }
}
