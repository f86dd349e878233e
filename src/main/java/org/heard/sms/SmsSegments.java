package org.heard.sms;

/**
 * How many SMS segments a message costs. Text that fits the GSM 03.38 alphabet is sent as GSM-7
 * (160 septets in one segment, 153 per segment when split; extension characters such as € or {
 * take two septets); anything else, e.g. Polish ą, ę, ł, is sent as UCS-2 (70 UTF-16 units in one
 * segment, 67 per segment when split).
 */
public final class SmsSegments {
  /** The GSM 03.38 basic character set (one septet each). */
  private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  /** The GSM 03.38 extension table (an escape plus the character: two septets each). */
  private static final String GSM_EXTENSION = "^{}\\[~]|€\f";

  public enum Encoding { GSM7, UCS2 }

  /** The encoding, the units counted (septets or UTF-16 units) and the number of segments. */
  public record Count(Encoding encoding, int units, int segments) {
  }

  private SmsSegments() {
  }

  public static Count count(String message) {
    int septets = 0;
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (GSM_BASIC.indexOf(c) >= 0) {
        septets += 1;
      } else if (GSM_EXTENSION.indexOf(c) >= 0) {
        septets += 2;
      } else {
        int units = message.length();
        return new Count(Encoding.UCS2, units, segments(units, 70, 67));
      }
    }
    return new Count(Encoding.GSM7, septets, segments(septets, 160, 153));
  }

  private static int segments(int units, int single, int perPart) {
    if (units == 0) {
      return 1;
    }
    return units <= single ? 1 : (units + perPart - 1) / perPart;
  }

  /**
   * The text itself if it fits in {@code maxSegments}, else its longest beginning that ends at a
   * word and, with "..." after it, fits. The dots are GSM-7, so cutting never changes the encoding
   * (a "…" would turn a GSM-7 text into UCS-2 and cost more segments than it saves).
   */
  public static String fit(String text, int maxSegments) {
    if (count(text).segments() <= maxSegments) {
      return text;
    }
    int low = 0;
    int high = text.length();
    while (low < high) {
      int mid = (low + high + 1) / 2;
      if (count(cut(text, mid)).segments() <= maxSegments) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return cut(text, low);
  }

  private static String cut(String text, int length) {
    int end = length;
    if (Character.isHighSurrogate(text.charAt(Math.max(0, end - 1))) && end < text.length()) {
      end--;
    }
    String head = text.substring(0, end);
    int space = head.lastIndexOf(' ');
    if (end < text.length() && text.charAt(end) != ' ' && space > head.length() / 2) {
      head = head.substring(0, space);
    }
    return head.stripTrailing() + "...";
  }
}
