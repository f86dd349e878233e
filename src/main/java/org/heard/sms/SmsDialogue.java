package org.heard.sms;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.heard.i18n.Messages;
import org.heard.privacy.Pseudonyms;
import org.heard.response.AnswerValidator;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyChannels;
import org.heard.survey.SurveyDefinition;

/**
 * The SMS conversation rules, as a pure function from (what Heard knows about a number, the text it
 * sent) to (what Heard knows now, what to reply). No I/O here, so the rules are easy to follow and
 * the caller can apply the result in one atomic write.
 */
public final class SmsDialogue {
  /** After this many unreadable replies to one question it is skipped (optional) or the survey ends. */
  static final int MAX_INVALID_REPLIES = 3;

  private final SurveyCatalog catalog;
  private final Messages messages;
  private final SmsPrompts prompts;
  private final SmsReplies replies;
  private final SmsWords words;
  private final AnswerValidator validator;
  private final Function<String, String> encryptContact;
  private final Duration idleTimeout;

  public SmsDialogue(SurveyCatalog catalog, Messages messages, Pseudonyms pseudonyms, Duration idleTimeout) {
    this.catalog = catalog;
    this.messages = messages;
    this.prompts = new SmsPrompts(messages, catalog.partnership());
    this.replies = new SmsReplies(messages, catalog.partnership());
    this.words = new SmsWords(messages);
    this.validator = new AnswerValidator(catalog.partnership());
    this.encryptContact = pseudonyms::encryptContact;
    this.idleTimeout = idleTimeout;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** The new state and the messages to send back (none, one, or two). */
  public record Outcome(NumberState state, List<String> reply) {
    public Outcome {
      reply = List.copyOf(reply);
    }
  }

  public Outcome handle(NumberState before, String from, String body, Instant now) {
    NumberState state = expireIfIdle(before, now);
    String text = body == null ? "" : body.strip();
    String word = normalise(text);
    String lang = state.language() == null ? Messages.DEFAULT_LANGUAGE : state.language();

    if (words.isStop(word)) {
      if (state.optedOut()) {
        return new Outcome(state, List.of());
      }
      return new Outcome(state.ending(Conversation.EndReason.OPTED_OUT, now).optingOut(now),
          List.of(messages.get(lang, "sms.stopped", catalog.partnership().name())));
    }
    Optional<String> helpLanguage = words.helpLanguage(word, state.language());
    if (helpLanguage.isPresent()) {
      // Help comes in the conversation's language, else in the language the word was texted in.
      List<String> reply = new ArrayList<>(List.of(help(state.language() == null ? helpLanguage.get() : lang)));
      currentPrompt(state).ifPresent(reply::add);
      return new Outcome(state, reply);
    }
    if (state.optedOut()) {
      // Nothing is sent to an opted-out number, and nothing it sends is kept, until it opts in again.
      return words.isStart(word) || words.isYes(word)
          ? new Outcome(state.optingIn(), List.of(messages.get(lang, "sms.resubscribed", keywordList(lang))))
          : new Outcome(state, List.of());
    }
    Optional<Question> current = currentQuestion(state);
    Optional<KeywordMatch> keyword = keyword(word);
    // A keyword restarts, except as the answer to a free-text question ("Safety" is a fair answer).
    if (keyword.isPresent() && !current.map(q -> q.type() == QuestionType.TEXT).orElse(false)) {
      return start(state, keyword.get(), now);
    }
    if (current.isEmpty()) {
      String reply = words.isStart(word) || words.isYes(word)
          ? messages.get(lang, "sms.welcome", keywordList(lang))
          : messages.get(lang, "sms.unknown", keywordList(lang));
      return new Outcome(state.ending(Conversation.EndReason.GAVE_UP, now), List.of(reply));
    }
    Conversation conversation = state.conversation();
    if (!current.get().id().equals(conversation.questionId())) {
      // The question this reply answers was dropped by a changed definition: the reply is not filed
      // under another question; the conversation asks the next question left instead.
      SurveyDefinition survey = catalog.require(conversation.surveyId());
      return new Outcome(state.withConversation(conversation.asking(current.get().id(), conversation.answers(), now)),
          List.of(prompts.prompt(current.get(), lang, survey.defaultLanguage())));
    }
    return answer(state, current.get(), text, from, now);
  }

  /**
   * The reply to a message taken while the database is away, if it can be given at once without
   * knowing the number's state: STOP, HELP and START (as UNSTOP too) mean the same in every state.
   * Anything else waits for the number's state ("YES" may answer a consent question).
   */
  public Optional<List<String>> replyWithoutState(String body) {
    String word = normalise(body == null ? "" : body.strip());
    String lang = Messages.DEFAULT_LANGUAGE;
    if (words.isStop(word)) {
      return Optional.of(List.of(messages.get(lang, "sms.stopped", catalog.partnership().name())));
    }
    Optional<String> helpLanguage = words.helpLanguage(word, null);
    if (helpLanguage.isPresent()) {
      return Optional.of(List.of(help(helpLanguage.get())));
    }
    if (words.isStart(word)) {
      return Optional.of(List.of(messages.get(lang, "sms.resubscribed", keywordList(lang))));
    }
    return Optional.empty();
  }

  /** Ends a conversation idle for longer than the timeout, keeping its answers as a partial response. */
  public NumberState expireIfIdle(NumberState state, Instant now) {
    Conversation conversation = state.conversation();
    if (conversation != null && conversation.isIdleSince(now.minus(idleTimeout))) {
      return state.ending(Conversation.EndReason.EXPIRED, now);
    }
    return state;
  }

  private Outcome start(NumberState before, KeywordMatch match, Instant now) {
    SurveyDefinition survey = match.survey();
    String lang = match.language();
    if (!survey.isOpenNow(catalog.partnership().timezone())) {
      return new Outcome(before.withLanguage(lang), List.of(messages.get(lang, "sms.closed",
          survey.title().in(lang, survey.defaultLanguage()).text())));
    }
    NumberState state = before.ending(Conversation.EndReason.RESTARTED, now);
    Optional<Question> first = nextQuestion(survey, -1, Map.of());
    if (first.isEmpty()) {
      return new Outcome(state.withLanguage(lang), List.of(messages.get(lang, "sms.closed",
          survey.title().in(lang, survey.defaultLanguage()).text())));
    }
    Conversation conversation = new Conversation(UUID.randomUUID().toString(), survey.id(), lang, match.word(),
        first.get().id(), 0, Map.of(), now, now, null);
    return new Outcome(state.withConversation(conversation),
        List.of(intro(messages, survey, lang), prompts.prompt(first.get(), lang, survey.defaultLanguage())));
  }

  /** The first message of a conversation: the survey's title and how to answer. */
  static String intro(Messages messages, SurveyDefinition survey, String lang) {
    String title = survey.title().in(lang, survey.defaultLanguage()).text();
    return title + (title.matches(".*[.?!]$") ? " " : ". ") + messages.get(lang, "sms.intro");
  }

  private Outcome answer(NumberState state, Question question, String text, String from, Instant now) {
    Conversation conversation = state.conversation();
    SurveyDefinition survey = catalog.find(conversation.surveyId()).orElseThrow();
    String lang = conversation.language();
    SmsReplies.Reading reading = replies.read(question, text, lang);
    if (reading instanceof SmsReplies.Correction correction) {
      return invalidReply(state, survey, question, correction.message(), now);
    }
    Map<String, Object> answers = new LinkedHashMap<>(conversation.answers());
    NumberState next = state;
    if (reading instanceof SmsReplies.Answer answer) {
      AnswerValidator.Result result = validator.validatePart(List.of(question), conversation.answers(),
          Map.of(question.id(), answer.value()));
      if (!result.valid()) {
        return invalidReply(state, survey, question, messages.get(lang, "sms.invalid.unusable"), now);
      }
      Object value = result.answers().get(question.id());
      answers.put(question.id(), value);
      if (question.type() == QuestionType.CONSENT) {
        next = next.withConsent(survey.id(), Boolean.TRUE.equals(value),
            Boolean.TRUE.equals(value) ? encryptContact.apply(from) : null);
      }
    }
    return moveOn(next, survey, question, answers, List.of(), now);
  }

  private Outcome invalidReply(NumberState state, SurveyDefinition survey, Question question, String correction,
      Instant now) {
    Conversation conversation = state.conversation().withInvalidReply(now);
    String lang = conversation.language();
    if (conversation.invalidReplies() < MAX_INVALID_REPLIES) {
      return new Outcome(state.withConversation(conversation),
          List.of(prompts.correction(correction, question, lang, survey.defaultLanguage())));
    }
    if (!question.isRequired()) {
      return moveOn(state.withConversation(conversation), survey, question, conversation.answers(),
          List.of(messages.get(lang, "sms.moving.on")), now);
    }
    NumberState ended = state.withConversation(conversation).ending(Conversation.EndReason.GAVE_UP, now);
    return new Outcome(ended, List.of(messages.get(lang, "sms.gave.up", conversation.keyword())));
  }

  /** Asks the next question that applies, or ends the conversation when none is left. */
  private Outcome moveOn(NumberState state, SurveyDefinition survey, Question answered, Map<String, Object> answers,
      List<String> preface, Instant now) {
    Conversation conversation = state.conversation();
    String lang = conversation.language();
    int index = survey.questions().indexOf(answered);
    Optional<Question> next = nextQuestion(survey, index, answers);
    List<String> reply = new ArrayList<>(preface);
    if (next.isEmpty()) {
      NumberState done = state.withConversation(conversation.asking(null, answers, now))
          .ending(Conversation.EndReason.COMPLETED, now);
      reply.add(messages.get(lang, "sms.thanks", catalog.partnership().name()));
      return new Outcome(done, reply);
    }
    reply.add(prompts.prompt(next.get(), lang, survey.defaultLanguage()));
    return new Outcome(state.withConversation(conversation.asking(next.get().id(), answers, now)), reply);
  }

  private static Optional<Question> nextQuestion(SurveyDefinition survey, int afterIndex,
      Map<String, Object> answers) {
    List<Question> questions = survey.questions();
    for (int i = afterIndex + 1; i < questions.size(); i++) {
      if (questions.get(i).isAskedGiven(answers)) {
        return Optional.of(questions.get(i));
      }
    }
    return Optional.empty();
  }

  private Optional<Question> currentQuestion(NumberState state) {
    Conversation conversation = state.conversation();
    if (conversation == null) {
      return Optional.empty();
    }
    return catalog.find(conversation.surveyId()).flatMap(s -> s.question(conversation.questionId())
        // The definition changed under the conversation and dropped the question it was at: it
        // carries on at the first question left that applies and has no answer yet.
        .or(() -> s.questions().stream().filter(q -> !conversation.answers().containsKey(q.id()))
            .filter(q -> q.isAskedGiven(conversation.answers())).findFirst()));
  }

  private Optional<String> currentPrompt(NumberState state) {
    return currentQuestion(state).map(q -> {
      SurveyDefinition survey = catalog.find(state.conversation().surveyId()).orElseThrow();
      return prompts.prompt(q, state.conversation().language(), survey.defaultLanguage());
    });
  }

  private String help(String lang) {
    return messages.get(lang, "sms.help", catalog.partnership().name(), keywordList(lang));
  }

  /** The keywords of open SMS surveys in this language (else in any), as "PULSE, SAFE". */
  private String keywordList(String lang) {
    return keywordList(openSmsSurveys(), lang);
  }

  static String keywordList(List<SurveyDefinition> surveys, String lang) {
    List<String> inLanguage = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (SurveyDefinition survey : surveys) {
      for (SurveyChannels.Keyword keyword : survey.channels().smsKeywords()) {
        all.add(keyword.word());
        if (keyword.language().equals(lang)) {
          inLanguage.add(keyword.word());
        }
      }
    }
    return String.join(", ", inLanguage.isEmpty() ? all : inLanguage);
  }

  private List<SurveyDefinition> openSmsSurveys() {
    return catalog.all().stream()
        .filter(s -> s.channels().sms() && s.isOpenNow(catalog.partnership().timezone()))
        .toList();
  }

  private record KeywordMatch(SurveyDefinition survey, String word, String language) {
  }

  private Optional<KeywordMatch> keyword(String word) {
    for (SurveyDefinition survey : catalog.all()) {
      for (SurveyChannels.Keyword keyword : survey.channels().smsKeywords()) {
        if (normalise(keyword.word()).equals(word)) {
          return Optional.of(new KeywordMatch(survey, keyword.word(), keyword.language()));
        }
      }
    }
    return Optional.empty();
  }

  /** A message as a command word: letters and digits only, upper-cased ("stop." and " Stop " are STOP). */
  static String normalise(String text) {
    return text.replaceAll("[^\\p{L}\\p{N}]", "").toUpperCase(Locale.ROOT);
  }
}
