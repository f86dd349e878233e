package org.heard.sms;

import java.util.List;

/** Twilio's reply format: {@code <Response>} with one {@code <Message>} per text to send back. */
public final class TwiML {
  public static final String CONTENT_TYPE = "text/xml; charset=utf-8";

  private TwiML() {
  }

  public static String messages(List<String> texts) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>");
    for (String text : texts) {
      xml.append("<Message>").append(escape(text)).append("</Message>");
    }
    return xml.append("</Response>").toString();
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          // XML 1.0 cannot carry most control characters at all; drop them rather than send broken XML.
          if (c >= 0x20 || c == '\n' || c == '\r' || c == '\t') {
            out.appendCodePoint(c);
          }
        }
      }
    });
    return out.toString();
  }
}
