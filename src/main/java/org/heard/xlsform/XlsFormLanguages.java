package org.heard.xlsform;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Language names as XLSForm columns carry them ({@code label::English (en)}, {@code label::english},
 * {@code label::EN}) and Heard's language codes. XLSForm recommends the name with the code in
 * brackets; older forms give the English name alone.
 */
final class XlsFormLanguages {
  private static final Pattern NAME_WITH_CODE = Pattern.compile(".*\\(([A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*)\\)\\s*");
  private static final Pattern CODE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*");

  private XlsFormLanguages() {
  }

  /** The language code a column suffix names, or empty when it names none Heard can tell. */
  static Optional<String> code(String suffix) {
    String text = suffix.strip();
    Matcher withCode = NAME_WITH_CODE.matcher(text);
    if (withCode.matches()) {
      return Optional.of(withCode.group(1).toLowerCase(Locale.ROOT));
    }
    for (String code : Locale.getISOLanguages()) {
      if (Locale.forLanguageTag(code).getDisplayLanguage(Locale.ENGLISH).equalsIgnoreCase(text)) {
        return Optional.of(code);
      }
    }
    if (CODE.matcher(text).matches() && isKnownCode(text.toLowerCase(Locale.ROOT))) {
      return Optional.of(text.toLowerCase(Locale.ROOT));
    }
    return Optional.empty();
  }

  /** The column suffix XLSForm recommends for a code: {@code English (en)}. */
  static String columnName(String code) {
    String name = Locale.forLanguageTag(code).getDisplayLanguage(Locale.ENGLISH);
    return (name.isEmpty() || name.equals(code) ? code : name) + " (" + code + ")";
  }

  private static boolean isKnownCode(String code) {
    String base = code.contains("-") ? code.substring(0, code.indexOf('-')) : code;
    for (String known : Locale.getISOLanguages()) {
      if (known.equals(base)) {
        return true;
      }
    }
    return false;
  }
}
