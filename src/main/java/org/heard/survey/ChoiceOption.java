package org.heard.survey;

/** One option of a choice question; {@code text} is empty when the value is shown as written. */
public record ChoiceOption(String value, LocalizedText text) {

  /** What a person sees for this option. */
  public LocalizedText.Localized label(String language, String fallbackLanguage) {
    return text == null ? new LocalizedText.Localized(value, fallbackLanguage) : text.in(language, fallbackLanguage);
  }
}
