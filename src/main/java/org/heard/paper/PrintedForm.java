package org.heard.paper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.i18n.Messages;
import org.heard.survey.LocalizedText;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyDefinition;

/**
 * The template model of a paper form as printed: every question in order, numbered, with what to
 * mark in words, options coded exactly as they are keyed ({@link PaperCodes}), where to go next
 * after an answer that skips questions ("Go to question 9"), boxes for numbers, words and the
 * consent's mobile number, and the equality-monitoring questions on a page of their own.
 */
final class PrintedForm {
  private final PaperCodes codes;
  private final Messages messages;

  PrintedForm(PaperCodes codes, Messages messages) {
    this.codes = codes;
    this.messages = messages;
  }

  /** The questions in two parts, as printed: those before the monitoring page, and those on it. */
  Map<String, Object> questions(SurveyDefinition survey, String lang) {
    List<Map<String, Object>> main = new ArrayList<>();
    List<Map<String, Object>> monitoring = new ArrayList<>();
    List<Question> questions = survey.questions();
    for (int i = 0; i < questions.size(); i++) {
      Question q = questions.get(i);
      (q.monitoring() ? monitoring : main).add(question(survey, q, i, lang));
    }
    Map<String, Object> model = new HashMap<>();
    model.put("questions", main);
    model.put("monitoring", monitoring);
    model.put("hasMonitoring", !monitoring.isEmpty());
    return model;
  }

  private Map<String, Object> question(SurveyDefinition survey, Question q, int index, String lang) {
    String fallback = survey.defaultLanguage();
    Map<String, Object> m = new HashMap<>();
    m.put("number", index + 1);
    m.put("id", q.id());
    put(m, "text", q.text(), lang, fallback);
    if (q.hint() != null) {
      put(m, "hint", q.hint(), lang, fallback);
    }
    m.put("optional", q.isRequired() || q.monitoring() ? null : messages.get(lang, "optional"));
    if (q.showIf() != null) {
      survey.question(q.showIf().question()).ifPresent(trigger -> m.put("onlyIf", messages.get(lang, "paper.only.if",
          label(survey, trigger, q.showIf().value(), lang), survey.questions().indexOf(trigger) + 1)));
    }
    m.put("instruction", instruction(q, lang));
    switch (q.type()) {
      case NUMBER -> m.put("isNumber", true);
      case TEXT -> {
        m.put("isText", true);
        m.put("height", Math.max(3, Math.min(6, q.effectiveMaxLength() / 80)) * 8 + "mm");
      }
      default -> {
        m.put("hasOptions", true);
        m.put("options", options(survey, q, index, lang));
      }
    }
    if (q.type() == QuestionType.CONSENT) {
      m.put("phone", messages.get(lang, "paper.phone"));
    }
    return m;
  }

  private String instruction(Question q, String lang) {
    return switch (q.type()) {
      case MULTI_CHOICE -> q.maxChoices() != null ? messages.get(lang, "paper.mark.upto", q.maxChoices())
          : messages.get(lang, "paper.mark.every");
      case NUMBER -> messages.get(lang, "paper.write.number");
      case TEXT -> messages.get(lang, "paper.write.text");
      default -> messages.get(lang, "paper.mark.single");
    };
  }

  private List<Map<String, Object>> options(SurveyDefinition survey, Question q, int index, String lang) {
    List<Map<String, Object>> options = new ArrayList<>();
    List<PaperCodes.Code> printed = codes.codes(q, survey.channels().paper().numbering(), lang);
    if (q.type() == QuestionType.SCALE) {
      // A scale is keyed as the number marked: each point is printed as its own number.
      printed = new ArrayList<>();
      for (int point = q.min().intValue(); point <= q.max().intValue(); point++) {
        printed.add(new PaperCodes.Code(String.valueOf(point), String.valueOf(point), ""));
      }
    }
    for (PaperCodes.Code code : printed) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("code", code.code());
      o.put("label", label(survey, q, code.value(), lang));
      Integer next = skipTo(survey, q, index, code.value());
      if (next != null) {
        o.put("goTo", next > survey.questions().size() ? messages.get(lang, "paper.go.end")
            : messages.get(lang, "paper.go.to", next));
      }
      options.add(o);
    }
    return options;
  }

  /**
   * The question number to go to after answering {@code value}, when that answer skips the next
   * question (its {@code show_if} names this one and does not hold); null when the next one follows.
   */
  private static Integer skipTo(SurveyDefinition survey, Question q, int index, String value) {
    if (q.type() == QuestionType.MULTI_CHOICE) {
      return null;  // "if you did not tick ..." is not an instruction people follow on paper
    }
    Object answer = q.type() == QuestionType.CONSENT ? Boolean.valueOf(value)
        : q.type() == QuestionType.SCALE ? (Object) Integer.valueOf(value) : value;
    Map<String, Object> given = Map.of(q.id(), answer);
    List<Question> questions = survey.questions();
    int next = index + 1;
    while (next < questions.size() && questions.get(next).showIf() != null
        && questions.get(next).showIf().question().equals(q.id()) && !questions.get(next).isAskedGiven(given)) {
      next++;
    }
    return next == index + 1 ? null : next + 1;
  }

  /** An answer's words in the form's language: an option, an area, yes or no, "prefer not to say". */
  private String label(SurveyDefinition survey, Question q, String value, String lang) {
    if (Question.PREFER_NOT_TO_SAY.equals(value)) {
      return messages.get(lang, "prefer.not");
    }
    return switch (q.type()) {
      case CONSENT -> messages.get(lang, "true".equals(value) ? "yes" : "no");
      case SINGLE_CHOICE, MULTI_CHOICE -> q.option(value).map(o -> o.label(lang, survey.defaultLanguage()).text())
          .orElse(value);
      case SCALE -> q.labels().containsKey(Integer.parseInt(value))
          ? q.labels().get(Integer.parseInt(value)).in(lang, survey.defaultLanguage()).text() : "";
      default -> codes.codes(q, survey.channels().paper().numbering(), lang).stream()
          .filter(c -> c.value().equals(value)).map(PaperCodes.Code::label).findFirst().orElse(value);
    };
  }

  private static void put(Map<String, Object> m, String key, LocalizedText text, String lang, String fallback) {
    LocalizedText.Localized localized = text.in(lang, fallback);
    m.put(key, localized.text());
    m.put(key + "Lang", localized.language().equals(lang) ? null : localized.language());
  }
}
