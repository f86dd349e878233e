package org.heard.survey;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A text in one or more languages. Asking for a language without a translation falls back to
 * the survey's default language, and says which language the text really is in (for
 * {@code lang} attributes).
 */
public record LocalizedText(Map<String, String> byLanguage) {

  public LocalizedText {
    byLanguage = Collections.unmodifiableMap(new LinkedHashMap<>(byLanguage));
  }

  public static LocalizedText of(String language, String text) {
    return new LocalizedText(Map.of(language, text));
  }

  /** The text in {@code language}, else in {@code fallbackLanguage}, else in any language. */
  public Localized in(String language, String fallbackLanguage) {
    String text = byLanguage.get(language);
    if (text != null) {
      return new Localized(text, language);
    }
    text = byLanguage.get(fallbackLanguage);
    if (text != null) {
      return new Localized(text, fallbackLanguage);
    }
    Map.Entry<String, String> any = byLanguage.entrySet().iterator().next();
    return new Localized(any.getValue(), any.getKey());
  }

  /** A text with the language it is actually written in. */
  public record Localized(String text, String language) {
  }
}
