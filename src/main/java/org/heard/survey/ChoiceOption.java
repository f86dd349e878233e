package org.heard.survey;

/**
 * One option of a choice question; {@code text} is null when the value is shown as written, and
 * {@code sms} is an optional shorter label for SMS, where every option is listed in the message.
 */
public record ChoiceOption(String value, LocalizedText text, LocalizedText sms) {

  /** What a person sees for this option. */
  public LocalizedText.Localized label(String language, String fallbackLanguage) {
    return text == null ? new LocalizedText.Localized(value, fallbackLanguage) : text.in(language, fallbackLanguage);
  }

  /** The label in an SMS: the short form when there is one. */
  public LocalizedText.Localized smsLabel(String language, String fallbackLanguage) {
    return sms == null ? label(language, fallbackLanguage) : sms.in(language, fallbackLanguage);
  }
}
