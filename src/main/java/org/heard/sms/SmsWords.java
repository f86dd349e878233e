package org.heard.sms;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.heard.i18n.Messages;

/**
 * The command words residents text, from each language's message file ({@code sms.words.stop},
 * {@code .start}, {@code .help}, {@code .yes}, {@code .no}: comma-separated). STOP, START and HELP in
 * any language work in every state, whatever language the conversation is in: someone who wants to
 * stop must never be misunderstood. YES and NO are read in every language too.
 */
public final class SmsWords {
  private final Messages messages;
  private final Set<String> stop;
  private final Set<String> start;
  private final Set<String> yes;
  private final Set<String> no;

  SmsWords(Messages messages) {
    this.messages = messages;
    this.stop = everyLanguage("stop");
    this.start = everyLanguage("start");
    this.yes = everyLanguage("yes");
    this.no = everyLanguage("no");
  }

  boolean isStop(String word) {
    return stop.contains(word);
  }

  boolean isStart(String word) {
    return start.contains(word);
  }

  /** The language whose HELP word this is (the conversation's own first, then English, then any). */
  Optional<String> helpLanguage(String word, String conversationLanguage) {
    if (conversationLanguage != null && of(conversationLanguage, "help").contains(word)) {
      return Optional.of(conversationLanguage);
    }
    return messages.languages().stream().filter(lang -> of(lang, "help").contains(word)).findFirst();
  }

  /**
   * YES in any language ("tak" in an English conversation is still yes), unless the word is NO in
   * another, when it means nothing for certain.
   */
  boolean isYes(String word) {
    return yes.contains(word) && !no.contains(word);
  }

  boolean isNo(String word) {
    return no.contains(word) && !yes.contains(word);
  }

  /** Whether {@code keyword} is a command word in some language, which no survey keyword may be. */
  public static boolean isCommand(Messages messages, String keyword) {
    return all(messages).contains(SmsDialogue.normalise(keyword));
  }

  private static Set<String> all(Messages messages) {
    Set<String> words = new LinkedHashSet<>();
    for (String kind : new String[] {"stop", "start", "help", "yes", "no"}) {
      for (String lang : messages.languages()) {
        words.addAll(of(messages, lang, kind));
      }
    }
    return words;
  }

  private Set<String> everyLanguage(String kind) {
    Set<String> words = new LinkedHashSet<>();
    messages.languages().forEach(lang -> words.addAll(of(lang, kind)));
    return words;
  }

  private Set<String> of(String lang, String kind) {
    return of(messages, lang == null ? Messages.DEFAULT_LANGUAGE : lang, kind);
  }

  private static Set<String> of(Messages messages, String lang, String kind) {
    Set<String> words = new LinkedHashSet<>();
    for (String word : messages.get(lang, "sms.words." + kind).split(",")) {
      String normal = SmsDialogue.normalise(word);
      if (!normal.isEmpty()) {
        words.add(normal);
      }
    }
    return words;
  }
}
