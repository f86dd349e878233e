package org.heard;

import java.nio.file.Path;
import java.util.List;
import org.heard.i18n.Messages;
import org.heard.sms.SmsPrompts;
import org.heard.survey.DefinitionException;
import org.heard.survey.DefinitionProblem;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyLoader;

/**
 * Loads the survey definitions with every check, for both the server and the {@code validate}
 * command: the format's rules, then what each channel needs (an SMS prompt fits in two segments).
 */
final class Definitions {
  private Definitions() {
  }

  static SurveyCatalog load(Path directory, Messages messages) {
    SurveyCatalog catalog = SurveyLoader.load(directory);
    List<DefinitionProblem> problems = new SmsPrompts(messages, catalog.partnership()).problems(catalog);
    if (!problems.isEmpty()) {
      throw new DefinitionException(problems);
    }
    return catalog;
  }
}
