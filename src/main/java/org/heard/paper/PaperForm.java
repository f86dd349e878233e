package org.heard.paper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.error.FieldError;
import org.heard.http.Problem;
import org.heard.response.AnswerValidator;
import org.heard.survey.Partnership;
import org.heard.survey.Question;
import org.heard.survey.SurveyDefinition;

/**
 * Reads everything typed for one paper form into {@link PaperAnswers}, or every problem, each
 * naming its field ({@code q-<question id>}): codes, marks, skip logic and the survey's own rules.
 */
public final class PaperForm {
  public static final String SERIAL_PATTERN = "[A-Za-z0-9][A-Za-z0-9-]{0,19}";

  private final PaperCodes codes;
  private final AnswerValidator validator;

  public PaperForm(Partnership partnership) {
    this.codes = new PaperCodes(partnership);
    this.validator = new AnswerValidator(partnership);
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
    }
    return new Result(new PaperAnswers(answers, marks, complete), errors);
  }
}
