package org.heard.response;

import java.util.Locale;

/** How a response reached Heard. Every channel produces the same {@link Response}. */
public enum Channel {
  WEB, SMS, PAPER, API;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
