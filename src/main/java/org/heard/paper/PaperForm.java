package org.heard.paper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.error.FieldError;
import org.heard.http.Problem;
import org.heard.response.AnswerValidator;
import org.heard.sms.TextBack;
import org.heard.survey.Partnership;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyDefinition;

/**
 * Reads everything typed for one paper form into {@link PaperAnswers}, or every problem, each
 * naming its field ({@code q-<question id>}): codes, marks, skip logic and the survey's own rules.
 */
public final class PaperForm {
  public static final String SERIAL_PATTERN = "[A-Za-z0-9][A-Za-z0-9-]{0,19}";

  private final PaperCodes codes;
  private final AnswerValidator validator;
  private final TextBack textBack;

  public PaperForm(Partnership partnership, TextBack textBack) {
    this.codes = new PaperCodes(partnership);
    this.validator = new AnswerValidator(partnership);
    this.textBack = textBack;
  }

  public TextBack textBack() {
    return textBack;
  }

  public PaperCodes codes() {
    return codes;
  }

  /** The outcome: answers when {@code errors} is empty. */
  public record Result(PaperAnswers answers, List<FieldError> errors) {
  }

  /**
   * @param blankMeansNotAnswered true for CSV cells (an empty cell is a blank on the form); the
   *                              keyboard form asks for "-" so that a skipped box is never a slip
   */
  public Result read(SurveyDefinition survey, Map<String, String> typed, boolean blankMeansNotAnswered) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> answers = new LinkedHashMap<>();
    Map<String, PaperCodes.Mark> marks = new LinkedHashMap<>();
    Map<String, TextBack.Contact> contacts = new LinkedHashMap<>();
    boolean complete = true;
    var numbering = survey.channels().paper().numbering();
    for (Question q : survey.questions()) {
      String field = "q-" + q.id();
      String label = "Question " + (survey.questions().indexOf(q) + 1);
      PaperCodes.Reading reading = codes.read(q, numbering, typed.get(q.id()), survey.defaultLanguage());
      if (!q.isAskedGiven(answers)) {
        if (reading instanceof PaperCodes.Value) {
          errors.add(new FieldError(field, "not_asked", label + " is only asked when " + q.showIf().describe()
              + "; type " + PaperCodes.NOT_ANSWERED + " to leave it out"));
        }
        continue;
      }
      if (reading instanceof PaperCodes.Blank) {
        if (!blankMeansNotAnswered) {
          errors.add(new FieldError(field, "required", label + ": type the answer, "
              + PaperCodes.NOT_ANSWERED + " if it was not answered, or " + PaperCodes.UNREADABLE + " if it cannot be read"));
          continue;
        }
        reading = new PaperCodes.Marked(PaperCodes.Mark.NOT_ANSWERED);
      }
      if (reading instanceof PaperCodes.Marked marked) {
        marks.put(q.id(), marked.mark());
        complete &= !q.isRequired();
      } else if (reading instanceof PaperCodes.Problem problem) {
        errors.add(new FieldError(field, "invalid", label + ": " + problem.message()));
      } else if (reading instanceof PaperCodes.Value value) {
        AnswerValidator.Result checked = validator.validatePart(List.of(q), answers, Map.of(q.id(), value.raw()));
        if (checked.valid()) {
          answers.put(q.id(), checked.answers().get(q.id()));
        } else {
          checked.errors().forEach(e -> errors.add(new FieldError(field, e.code(), label + " " + e.message())));
        }
      }
      if (q.type() == QuestionType.CONSENT) {
        readNumber(q, label, typed.get(q.id() + TextBack.PHONE_SUFFIX), answers.get(q.id()), blankMeansNotAnswered,
            contacts, errors);
      }
    }
    return new Result(new PaperAnswers(answers, marks, complete, contacts), errors);
  }

  /**
   * The box for the number written with a consent question: kept (encrypted) only with a yes.
   * {@link PaperCodes#NOT_ANSWERED} means none was written, {@link PaperCodes#UNREADABLE} that it
   * cannot be read; either way the yes is kept and nobody is texted.
   */
  private void readNumber(Question q, String label, String typed, Object consent, boolean blankMeansNotAnswered,
      Map<String, TextBack.Contact> contacts, List<FieldError> errors) {
    String field = "q-" + q.id() + TextBack.PHONE_SUFFIX;
    String text = typed == null ? "" : typed.strip();
    String box = label + ", the mobile number: ";
    if (text.equals(PaperCodes.NOT_ANSWERED) || text.equals(PaperCodes.UNREADABLE)) {
      return;
    }
    if (!Boolean.TRUE.equals(consent)) {
      if (!text.isEmpty()) {
        errors.add(new FieldError(field, "not_asked", box + "a number is kept only with a Yes; leave this box empty"));
      }
      return;
    }
    if (text.isEmpty()) {
      if (!blankMeansNotAnswered) {
        errors.add(new FieldError(field, "required", box + "type the number written, " + PaperCodes.NOT_ANSWERED
            + " if none was written, or " + PaperCodes.UNREADABLE + " if it cannot be read"));
      }
      return;
    }
    TextBack.Reading reading = textBack.read(text);
    if (reading.ok()) {
      contacts.put(q.id(), reading.contact());
    } else if (TextBack.PHONE_NOT_MOBILE.equals(reading.problem())) {
      errors.add(new FieldError(field, reading.problem(), box + "that is not a mobile number, and texts reach only "
          + "mobiles; type " + PaperCodes.NOT_ANSWERED + " to keep the Yes without it"));
    } else {
      errors.add(new FieldError(field, reading.problem(), box + "that is not a phone number; type it as written, like "
          + textBack.example() + ", or " + PaperCodes.UNREADABLE + " if it cannot be read"));
    }
  }
}
