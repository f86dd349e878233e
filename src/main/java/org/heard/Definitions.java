package org.heard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.heard.i18n.MessageCheck;
import org.heard.i18n.Messages;
import org.heard.sms.SmsPrompts;
import org.heard.sms.SmsTexts;
import org.heard.sms.SmsWords;
import org.heard.survey.DefinitionException;
import org.heard.survey.DefinitionProblem;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.heard.survey.SurveyLoader;

/**
 * Loads the survey definitions with every check, for both the server and the {@code validate}
 * command: the message files (complete, valid patterns), the format's rules, a message file for each
 * survey language, then what each channel needs (an SMS prompt fits in two segments).
 */
final class Definitions {
  private Definitions() {
  }

  /** Heard's own words: the message files in the jar, and those in the surveys folder's {@code messages/}. */
  static Messages messages(Path directory) {
    return new Messages(directory.resolve("messages"));
  }

  static SurveyCatalog load(Path directory, Messages messages) {
    SurveyCatalog catalog = SurveyLoader.load(directory);
    List<DefinitionProblem> problems = new ArrayList<>();
    MessageCheck.problems(messages).forEach(p -> problems.add(new DefinitionProblem(p.file(), p.key(), p.message())));
    for (SurveyDefinition survey : catalog.all()) {
      survey.languages().stream().filter(lang -> !messages.supports(lang)).forEach(lang -> problems.add(
          new DefinitionProblem(survey.sourceFile(), "languages", "'" + lang + "' has no message file for Heard's "
              + "own words (buttons, errors, SMS instructions): add messages/" + lang + ".properties, "
              + "with every key of messages/en.properties translated")));
    }
    for (SurveyDefinition survey : catalog.all()) {
      survey.channels().smsKeywords().stream().filter(k -> SmsWords.isCommand(messages, k.word())).forEach(k ->
          problems.add(new DefinitionProblem(survey.sourceFile(), "channels.sms.keywords." + k.language(),
              "'" + k.word() + "' is a command word (STOP, HELP, YES... in some language): choose another keyword")));
    }
    problems.addAll(new SmsPrompts(messages, catalog.partnership()).problems(catalog));
    problems.addAll(SmsTexts.problems(catalog, messages));
    if (!problems.isEmpty()) {
      throw new DefinitionException(problems);
    }
    return catalog;
  }
}
