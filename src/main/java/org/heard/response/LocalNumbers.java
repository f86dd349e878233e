package org.heard.response;

import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Numbers as residents write them in their form's language: "3.5" and "1,000" in English, "3,5" and
 * "1 000" in Polish (the language's decimal mark from the JDK's locale data). A text that is not a
 * number by that language's convention ("3,5" on the English form, which is neither 3.5 nor 35 with
 * any certainty) is no number, so the validator asks again instead of storing a guess.
 */
public final class LocalNumbers {
  private static final Pattern POINT_DECIMAL = Pattern.compile("-?(\\d{1,15}|\\d{1,3}(,\\d{3})+)(\\.\\d{1,6})?");
  private static final Pattern COMMA_DECIMAL = Pattern.compile("-?(\\d{1,15}|\\d{1,3}([ \\u00a0\\u202f.]\\d{3})+)(,\\d{1,6})?");

  private LocalNumbers() {
  }

  /** The number {@code text} says in {@code language} (a Long when whole), or null when it says none. */
  public static Number read(String text, String language) {
    String value = westernDigits(text.strip());
    char decimal = DecimalFormatSymbols.getInstance(Locale.forLanguageTag(language == null ? "en" : language))
        .getDecimalSeparator();
    String plain;
    if (decimal == ',') {
      if (!COMMA_DECIMAL.matcher(value).matches()) {
        return null;
      }
      plain = value.replaceAll("[ \\u00a0\\u202f.]", "").replace(',', '.');
    } else {
      if (!POINT_DECIMAL.matcher(value).matches()) {
        return null;
      }
      plain = value.replace(",", "");
    }
    double number = Double.parseDouble(plain);
    return number == Math.rint(number) ? (Number) (long) number : (Number) number;
  }

  /** Digits of any script ("٣٫٥" in Arabic, "۱۲" in Urdu) as 0-9; the Arabic decimal and group marks as "." and ",". */
  private static String westernDigits(String text) {
    StringBuilder plain = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (c == '\u066B') {
        plain.append('.');
      } else if (c == '\u066C') {
        plain.append(',');
      } else if (Character.isDigit(c)) {
        plain.append((char) ('0' + Character.digit(c, 10)));
      } else {
        plain.appendCodePoint(c);
      }
    });
    return plain.toString();
  }
}
