package org.heard.survey;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A survey as defined in its file under {@code surveys/}: the contract for every channel.
 *
 * @param monitoringIntro why equality-monitoring questions are asked, or null for the standard text
 * @param languages the languages it is offered in; the first is the default
 * @param opens     first day responses are taken (inclusive), or null
 * @param closes    last day responses are taken (inclusive), or null
 * @param retentionDays after this many days a response's free text (and the contact details its
 *                  consent kept) are deleted; closed answers stay for the statistics. Null: kept
 */
public record SurveyDefinition(
    String id,
    int version,
    LocalizedText title,
    LocalizedText description,
    LocalizedText monitoringIntro,
    List<String> languages,
    LocalDate opens,
    LocalDate closes,
    SurveyChannels channels,
    List<Question> questions,
    String sourceFile,
    Integer retentionDays) {

  public SurveyDefinition {
    languages = List.copyOf(languages);
    questions = List.copyOf(questions);
  }

  public String defaultLanguage() {
    return languages.get(0);
  }

  public Optional<Question> question(String questionId) {
    return questions.stream().filter(q -> q.id().equals(questionId)).findFirst();
  }

  /** Whether the survey takes responses at this moment, judged by the partnership's calendar. */
  public boolean isOpenAt(ZonedDateTime now) {
    LocalDate today = now.toLocalDate();
    return (opens == null || !today.isBefore(opens)) && (closes == null || !today.isAfter(closes));
  }

  public boolean isOpenNow(ZoneId zone) {
    return isOpenAt(ZonedDateTime.now(zone));
  }

  /** The language to use for a request: the one asked for if offered, else the default. */
  public String languageOrDefault(String requested) {
    return requested != null && languages.contains(requested) ? requested : defaultLanguage();
  }
}
