package org.heard.webform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.heard.i18n.Messages;
import org.heard.response.LocalNumbers;
import org.heard.sms.TextBack;
import org.heard.survey.ChoiceOption;
import org.heard.survey.LocalizedText;
import org.heard.survey.Partnership;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;

/**
 * Builds the template model of one question on a form page (GOV.UK patterns: a legend for radios
 * and checkboxes, a label for text, the hint and error message linked by aria-describedby), and
 * reads its form fields back into a raw answer for the validator.
 */
final class QuestionView {
  private QuestionView() {
  }

  /** The models of the questions revealed under one option of a question, for its conditional block. */
  @FunctionalInterface
  interface Reveals {
    Reveals NONE = (trigger, option) -> List.of();

    List<Map<String, Object>> under(Question trigger, String option);
  }

  static Map<String, Object> model(Question q, String lang, String fallback, Partnership partnership, Messages messages,
      Object value, String error) {
    return model(q, lang, fallback, partnership, messages, value, error, Reveals.NONE);
  }

  static Map<String, Object> model(Question q, String lang, String fallback, Partnership partnership, Messages messages,
      Object value, String error, Reveals reveals) {
    Map<String, Object> m = new HashMap<>();
    m.put("id", q.id());
    m.put("fieldId", "q-" + q.id());
    put(m, "text", q.text(), lang, fallback);
    if (q.hint() != null) {
      put(m, "hint", q.hint(), lang, fallback);
    }
    m.put("optional", q.isRequired() ? null : messages.get(lang, "optional"));
    m.put("error", error);
    List<String> describedBy = new ArrayList<>();
    if (q.hint() != null) {
      describedBy.add("q-" + q.id() + "-hint");
    }
    if (q.type() == QuestionType.TEXT) {
      // Said before typing (GOV.UK character count); with JavaScript it becomes a live count.
      m.put("maxLength", q.effectiveMaxLength());
      m.put("countHint", messages.get(lang, "text.limit", q.effectiveMaxLength()));
      // Every plural form the language has ("few" and "many" in Polish), for the script to choose from.
      List<Map<String, Object>> countForms = new ArrayList<>();
      for (String kind : List.of("left", "over")) {
        messages.pluralForms(lang, "text." + kind).forEach((category, text) ->
            countForms.add(Map.of("attr", kind + "-" + category, "text", text)));
      }
      m.put("countForms", countForms);
    }
    if (error != null) {
      describedBy.add("q-" + q.id() + "-error");
    }
    if (q.type() == QuestionType.TEXT) {
      describedBy.add("q-" + q.id() + "-count");
    }
    m.put("describedBy", describedBy.isEmpty() ? null : String.join(" ", describedBy));
    switch (q.type()) {
      case TEXT -> {
        m.put("isTextarea", true);
        m.put("value", value == null ? "" : String.valueOf(value));
      }
      case NUMBER -> {
        m.put("isInput", true);
        // Phones show digits only for whole numbers, digits and a decimal mark otherwise.
        m.put("inputMode", q.wholeNumber() ? "numeric" : "decimal");
        m.put("value", value == null ? "" : String.valueOf(value));
      }
      case MULTI_CHOICE -> {
        m.put("isCheckboxes", true);
        m.put("options", choiceOptions(q, lang, fallback, messages, value));
      }
      default -> {
        m.put("isRadios", true);
        m.put("options", radioOptions(q, lang, fallback, partnership, messages, value));
      }
    }
    m.put("isFieldset", m.containsKey("options"));
    if (m.get("options") instanceof List<?> options) {
      for (Object each : options) {
        @SuppressWarnings("unchecked")
        Map<String, Object> option = (Map<String, Object>) each;
        List<Map<String, Object>> revealed = reveals.under(q, (String) option.get("value"));
        if (!revealed.isEmpty()) {
          option.put("conditionalId", "conditional-" + option.get("inputId"));
          option.put("revealed", revealed.stream().map(QuestionView::nested).toList());
        }
      }
    }
    return m;
  }

  /**
   * The number to text, asked under the yes of a consent question: a telephone field the browser
   * can fill in, its hint saying what the number is for and how to stop the texts.
   */
  static Map<String, Object> phoneModel(Question consent, String lang, Messages messages, Object value, String error) {
    Map<String, Object> m = new HashMap<>();
    String id = consent.id() + TextBack.PHONE_SUFFIX;
    m.put("id", id);
    m.put("fieldId", "q-" + consent.id() + "-phone");
    m.put("text", messages.get(lang, "consent.phone"));
    m.put("hint", messages.get(lang, "consent.phone.hint"));
    m.put("error", error);
    m.put("isPhone", true);
    m.put("value", value == null ? "" : String.valueOf(value));
    m.put("describedBy", "q-" + id + "-hint" + (error == null ? "" : " q-" + id + "-error"));
    return m;
  }

  static String phoneInputId(String consentId) {
    return "q-" + consentId + "-phone-input";
  }

  /**
   * A revealed question's model with its keys prefixed ("r" + name): inside an option of the
   * question that reveals it, an unprefixed key the nested model lacks would be read from the
   * enclosing question instead.
   */
  private static Map<String, Object> nested(Map<String, Object> model) {
    Map<String, Object> prefixed = new HashMap<>();
    model.forEach((key, value) -> prefixed.put("r" + Character.toUpperCase(key.charAt(0)) + key.substring(1), value));
    return prefixed;
  }

  private static List<Map<String, Object>> radioOptions(Question q, String lang, String fallback,
      Partnership partnership, Messages messages, Object value) {
    List<Map<String, Object>> options = new ArrayList<>();
    String chosen = value == null ? null : String.valueOf(value);
    switch (q.type()) {
      case SCALE -> IntStream.rangeClosed(q.min().intValue(), q.max().intValue()).forEach(point -> {
        LocalizedText label = q.labels().get(point);
        LocalizedText.Localized text = label == null ? null : label.in(lang, fallback);
        options.add(option(q, String.valueOf(point), text == null ? String.valueOf(point) : point + " – " + text.text(),
            text == null ? null : langIfDifferent(text.language(), lang), chosen));
      });
      case AREA -> partnership.areas().forEach(area ->
          options.add(option(q, area.code(), area.name(), null, chosen)));
      case CONSENT -> {
        options.add(option(q, "true", messages.get(lang, "yes"), null, chosen));
        options.add(option(q, "false", messages.get(lang, "no"), null, chosen));
      }
      default -> options.addAll(choiceOptions(q, lang, fallback, messages, value));
    }
    return options;
  }

  private static List<Map<String, Object>> choiceOptions(Question q, String lang, String fallback, Messages messages,
      Object value) {
    List<String> chosen = value instanceof List<?> list ? list.stream().map(String::valueOf).toList()
        : value == null ? List.of() : List.of(String.valueOf(value));
    List<Map<String, Object>> options = new ArrayList<>();
    for (ChoiceOption option : q.options()) {
      LocalizedText.Localized label = option.label(lang, fallback);
      options.add(option(q, option.value(), label.text(), langIfDifferent(label.language(), lang), chosen));
    }
    if (q.monitoring()) {
      Map<String, Object> prefer = option(q, Question.PREFER_NOT_TO_SAY, messages.get(lang, "prefer.not"), null, chosen);
      prefer.put("divider", messages.get(lang, "or"));
      options.add(prefer);
    }
    return options;
  }

  private static String inputId(Question q, String value) {
    return "q-" + q.id() + "-" + value.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  /** The id of the question's first input, where the error summary sends focus. */
  static String firstInputId(Question q, Partnership partnership) {
    return switch (q.type()) {
      case TEXT, NUMBER -> "q-" + q.id() + "-input";
      case SCALE -> inputId(q, String.valueOf(q.min().intValue()));
      case AREA -> inputId(q, partnership.areas().get(0).code());
      case CONSENT -> inputId(q, "true");
      default -> inputId(q, q.options().get(0).value());
    };
  }

  private static Map<String, Object> option(Question q, String value, String label, String labelLang, Object chosen) {
    Map<String, Object> m = new HashMap<>();
    m.put("value", value);
    m.put("label", label);
    m.put("labelLang", labelLang);
    m.put("inputId", inputId(q, value));
    boolean checked = chosen instanceof List<?> list ? list.contains(value) : value.equals(chosen);
    m.put("checked", checked);
    return m;
  }

  private static void put(Map<String, Object> m, String key, LocalizedText text, String lang, String fallback) {
    LocalizedText.Localized localized = text.in(lang, fallback);
    m.put(key, localized.text());
    m.put(key + "Lang", langIfDifferent(localized.language(), lang));
  }

  /** A {@code lang} attribute is needed only where the text is not in the page's language. */
  static String langIfDifferent(String textLanguage, String pageLanguage) {
    return textLanguage.equals(pageLanguage) ? null : textLanguage;
  }

  /** The raw answer from the posted form fields in the form's language, typed as the API would send it. */
  static Object rawAnswer(Question q, List<String> values, String lang) {
    List<String> given = values.stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
    if (q.type() == QuestionType.MULTI_CHOICE) {
      return given;
    }
    if (given.isEmpty()) {
      return q.type() == QuestionType.TEXT && !values.isEmpty() ? values.get(0) : null;
    }
    String value = q.type() == QuestionType.TEXT ? values.get(0) : given.get(0);
    return switch (q.type()) {
      case SCALE -> value.matches("-?\\d{1,9}") ? (Object) Integer.parseInt(value) : value;
      case NUMBER -> {
        Number number = LocalNumbers.read(value, lang);
        // Not a number in the form's language: kept as typed, so the validator asks for one.
        yield number == null ? value : number;
      }
      case CONSENT -> value.equals("true") ? Boolean.TRUE : value.equals("false") ? Boolean.FALSE : value;
      default -> value;
    };
  }
}
