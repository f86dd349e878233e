package org.heard.themes;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Which comments a theme report counts: a period of whole days (both ends included, in the
 * partnership's time zone), optionally one area, one channel, one answer to an equality-monitoring
 * question, or one free-text question. The previous period is the same number of days just before.
 */
public record ThemeQuery(LocalDate from, LocalDate to, String area, String channel, String groupQuestion,
                         String groupValue, String questionId) {

  public long days() {
    return ChronoUnit.DAYS.between(from, to) + 1;
  }

  public ThemeQuery previous() {
    return new ThemeQuery(from.minusDays(days()), from.minusDays(1), area, channel, groupQuestion, groupValue, questionId);
  }

  boolean matches(ThemeItem item, ZoneId zone) {
    ZonedDateTime at = item.receivedAt().atZone(zone);
    LocalDate day = at.toLocalDate();
    return !day.isBefore(from) && !day.isAfter(to)
        && (area == null || area.equals(item.area()))
        && (channel == null || channel.equals(item.channel()))
        && (questionId == null || questionId.equals(item.questionId()))
        && (groupQuestion == null || groupValue.equals(item.groups().get(groupQuestion)));
  }
}
