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
}
