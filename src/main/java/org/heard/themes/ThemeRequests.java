package org.heard.themes;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.heard.error.ClientText;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.response.Channel;
import org.heard.survey.Question;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;

/**
 * What a request for themes asks: the period and filters (shared by the theme API, the digest and the
 * indicator pack), checked with every problem named.
 */
public final class ThemeRequests {
  /** The period when none is given: the last 90 days up to today. */
  static final int DEFAULT_DAYS = 90;

  private ThemeRequests() {
  }

  /** Reads and checks the period and filters, naming every problem. */
  public static ThemeQuery query(RoutingContext ctx, SurveyDefinition survey, SurveyCatalog catalog, Clock clock) {
    List<FieldError> errors = new ArrayList<>();
    LocalDate today = LocalDate.now(clock.withZone(catalog.partnership().timezone()));
    LocalDate to = date(ctx, "to", today, errors);
    LocalDate from = date(ctx, "from", to == null ? today.minusDays(DEFAULT_DAYS - 1) : to.minusDays(DEFAULT_DAYS - 1), errors);
    if (from != null && to != null && from.isAfter(to)) {
      errors.add(new FieldError("from", "after_to", "from (" + from + ") is after to (" + to + ")"));
    }
    if (from != null && to != null && from.plusYears(5).isBefore(to)) {
      errors.add(new FieldError("from", "too_long", "a period can be at most 5 years"));
    }
    String area = blank(ctx.request().getParam("area"));
    if (area != null && catalog.partnership().area(area).isEmpty()) {
      errors.add(new FieldError("area", "unknown_area", "'" + ClientText.shorten(area) + "' is not an area of the partnership"));
    }
    String channel = blank(ctx.request().getParam("channel"));
    if (channel != null && Arrays.stream(Channel.values()).noneMatch(c -> c.key().equals(channel))) {
      errors.add(new FieldError("channel", "not_an_option", "channel must be one of web, sms, paper, api"));
    }
    String group = blank(ctx.request().getParam("group"));
    String groupQuestion = null;
    String groupValue = null;
    if (group != null) {
      int colon = group.indexOf(':');
      groupQuestion = colon < 0 ? group : group.substring(0, colon);
      groupValue = colon < 0 ? null : group.substring(colon + 1);
      String asked = groupQuestion;
      boolean monitoring = survey.question(asked).map(Question::monitoring).orElse(false);
      if (!monitoring || groupValue == null || groupValue.isBlank()) {
        errors.add(new FieldError("group", "unknown_group",
            "group must be question:value for an equality-monitoring question of this survey"));
      }
    }
    String question = blank(ctx.request().getParam("question"));
    if (question != null && survey.question(question).map(q -> !q.themes()).orElse(true)) {
      errors.add(new FieldError("question", "unknown_question",
          "'" + ClientText.shorten(question) + "' is not a free-text question analysed for themes"));
    }
    if (!errors.isEmpty()) {
      throw new HeardException.BadRequest("invalid-query", "Check the query.", errors);
    }
    return new ThemeQuery(from, to, area, channel, groupQuestion, groupValue, question);
  }

  private static LocalDate date(RoutingContext ctx, String name, LocalDate fallback, List<FieldError> errors) {
    String value = blank(ctx.request().getParam(name));
    if (value == null) {
      return fallback;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(name, "not_a_date", name + " must be a date like 2026-01-31"));
      return null;
    }
  }

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
