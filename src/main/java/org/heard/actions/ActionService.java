package org.heard.actions;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditLog;
import org.heard.auth.SecretTokens;
import org.heard.auth.StaffUser;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.i18n.Messages;
import org.heard.sms.NumberStore;
import org.heard.sms.OutboundQueue;
import org.heard.sms.SmsSegments;
import org.heard.store.Documents;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recording, editing and publishing "you said, we did" actions. Publishing one texts its public
 * summary, once, to each respondent who agreed (by SMS) to be contacted about that survey and has
 * not opted out: its message is queued in the SMS outbound queue under the action's and the
 * respondent's id, so a second publish, a retry or a second instance never texts anyone twice.
 */
public final class ActionService {
  static final List<String> STATUSES = List.of("planned", "in_progress", "done");
  /** A follow-up costs at most two SMS segments, in GSM-7 or UCS-2 as its characters need. */
  static final int SUMMARY_SMS_SEGMENTS = 2;
  /** The outbound queue's purpose for "you said, we did" texts. */
  public static final String FOLLOW_UP = "follow-up";
  private static final Logger LOG = LoggerFactory.getLogger(ActionService.class);

  private final ActionStore store;
  private final SurveyCatalog catalog;
  private final NumberStore numbers;
  private final OutboundQueue outbound;
  private final AuditLog audit;
  private final Clock clock;
  private final PublicTextScreen screen;
  private final Messages messages;

  public ActionService(Vertx vertx, ActionStore store, SurveyCatalog catalog, NumberStore numbers,
                       OutboundQueue outbound, AuditLog audit, Clock clock, Messages messages) {
    this.messages = messages;
    this.screen = new PublicTextScreen(vertx);
    this.store = store;
    this.catalog = catalog;
    this.numbers = numbers;
    this.outbound = outbound;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * What an analyst submits; summaries and headings by language code. A heading says, in residents'
   * words and language, what they raised ("Street lights out on the estate"): the public page shows
   * it instead of the theme's machine label, which is English.
   */
  public record Form(String surveyId, String themeId, String themeLabel, String what, String agency, String status,
                     String date, Map<String, String> summaries, Map<String, String> headings) {
    public Form {
      headings = headings == null ? Map.of() : headings;
    }
  }

  public Future<JsonObject> create(StaffUser user, Form form) {
    SurveyDefinition survey = check(form);
    return screen.check(texts(form, survey)).compose(v -> insert(user, form, survey));
  }

  /** The texts boards and the public see, by form field, with their language. */
  private static Map<String, String[]> texts(Form form, SurveyDefinition survey) {
    Map<String, String[]> texts = new LinkedHashMap<>();
    texts.put("what", new String[] {form.what(), survey.defaultLanguage()});
    form.summaries().forEach((language, summary) -> {
      if (!blank(summary)) {
        texts.put("summary_" + language, new String[] {summary, language});
      }
    });
    form.headings().forEach((language, heading) -> {
      if (!blank(heading)) {
        texts.put("heading_" + language, new String[] {heading, language});
      }
    });
    return texts;
  }

  private Future<JsonObject> insert(StaffUser user, Form form, SurveyDefinition survey) {
    JsonObject action = new JsonObject()
        .put("_id", "a-" + SecretTokens.random(9))
        .put("version", 1)
        .put("createdBy", user.accountId())
        .put("createdAt", Documents.date(clock.instant()))
        .put("published", false)
        .put("history", new JsonArray());
    apply(action, form, survey);
    return store.insert(action)
        .compose(v -> record(user, AuditAction.ACTION_CHANGED, action, Map.of("change", "created")))
        .map(action);
  }

  public Future<JsonObject> update(StaffUser user, String id, int version, Form form) {
    return store.find(id).compose(existing -> {
      if (existing == null) {
        return Future.failedFuture(new HeardException.NotFound("unknown-action", "There is no action with that id."));
      }
      SurveyDefinition survey = check(form);
      return screen.check(texts(form, survey)).compose(v -> replace(user, existing, version, form, survey));
    });
  }

  private Future<JsonObject> replace(StaffUser user, JsonObject existing, int version, Form form,
      SurveyDefinition survey) {
    JsonObject next = existing.copy();
    JsonObject before = new JsonObject().put("status", existing.getString("status"))
        .put("what", existing.getString("what")).put("summaries", existing.getJsonObject("summaries"))
        .put("headings", existing.getJsonObject("headings"))
        .put("by", existing.getString("updatedBy", existing.getString("createdBy")))
        .put("at", existing.getValue("updatedAt", existing.getValue("createdAt")));
    next.getJsonArray("history").add(before);
    apply(next, form, survey);
    next.put("version", version + 1).put("updatedBy", user.accountId()).put("updatedAt", Documents.date(clock.instant()));
    return store.replace(next, version).compose(replaced -> replaced
        ? record(user, AuditAction.ACTION_CHANGED, next, Map.of("change", "edited")).map(next)
        : Future.failedFuture(new HeardException.Conflict("action-changed",
            "Someone else changed this action since you opened it; reload it and make your change again.")));
  }

  /** Publishes the action and texts its summary to consenting respondents (once each). */
  public Future<JsonObject> publish(StaffUser user, String id, int version) {
    return store.find(id).compose(existing -> {
      if (existing == null) {
        return Future.failedFuture(new HeardException.NotFound("unknown-action", "There is no action with that id."));
      }
      JsonObject next = existing.copy().put("published", true).put("version", version + 1)
          .put("publishedAt", existing.getValue("publishedAt", Documents.date(clock.instant())));
      return store.replace(next, version).compose(replaced -> replaced
          ? record(user, AuditAction.ACTION_PUBLISHED, next, Map.of()).map(next)
          : Future.failedFuture(new HeardException.Conflict("action-changed",
              "Someone else changed this action since you opened it; reload it and try again.")));
    }).onSuccess(published -> followUp(published).onSuccess(queued -> {
      if (queued > 0) {
        LOG.info("queued the summary of action {} to be texted to {} respondent(s)", published.getString("_id"), queued);
      }
    }));
  }

  /**
   * Queues the summary for each consenting, not-opted-out respondent of the survey, once each (the
   * queue's id is the action's and the respondent's); the queue checks the opt-out and the consent
   * again just before it sends. Completes with how many were newly queued.
   */
  public Future<Integer> followUp(JsonObject action) {
    if (!outbound.canSend()) {
      return Future.succeededFuture(0);
    }
    String actionId = action.getString("_id");
    return numbers.consentingTo(action.getString("surveyId"))
        .compose(numbers -> {
          List<Future<Boolean>> queued = new ArrayList<>();
          for (JsonObject number : numbers) {
            String key = number.getString("_id");
            queued.add(outbound.enqueue(new OutboundQueue.Message(FOLLOW_UP + "|" + actionId + "|" + key, key, null,
                smsText(messages, action, number.getString("language")), FOLLOW_UP, actionId)));
          }
          return Future.join(queued).transform(done -> Future.succeededFuture(
              (int) queued.stream().filter(f -> f.succeeded() && f.result()).count()));
        });
  }

  /**
   * The text sent: "You said, we did:" and the summary, both in the respondent's language (else the
   * survey's first), cut at a word to fit two segments without changing the encoding.
   */
  static String smsText(Messages messages, JsonObject action, String language) {
    JsonObject summaries = action.getJsonObject("summaries", new JsonObject());
    String lang = textLanguage(summaries, language, action.getString("defaultLanguage", Messages.DEFAULT_LANGUAGE));
    return SmsSegments.fit(messages.get(lang, "sms.ysd", summaries.getString(lang, "")), SUMMARY_SMS_SEGMENTS);
  }

  /**
   * The language to show an action's texts in (its summaries, by language): {@code wanted} if
   * written in it, else {@code fallback} (the survey's first), else the first one written.
   */
  static String textLanguage(JsonObject texts, String wanted, String fallback) {
    if (wanted != null && texts.containsKey(wanted)) {
      return wanted;
    }
    return texts.containsKey(fallback) || texts.isEmpty() ? fallback : texts.fieldNames().iterator().next();
  }

  /** The words a follow-up starts with in {@code lang}, before the summary ("You said, we did: "). */
  public String followUpPrefix(String lang) {
    return messages.get(lang, "sms.ysd", "");
  }

  /** What a follow-up with this summary costs in {@code lang}, before any cut. */
  public SmsSegments.Count followUpCost(String lang, String summary) {
    return SmsSegments.count(messages.get(lang, "sms.ysd", summary));
  }

  private SurveyDefinition check(Form form) {
    List<FieldError> errors = new ArrayList<>();
    SurveyDefinition survey = form.surveyId() == null ? null : catalog.find(form.surveyId()).orElse(null);
    if (survey == null) {
      errors.add(new FieldError("surveyId", "unknown_survey", "Choose the survey this action answers"));
    }
    if (blank(form.themeId())) {
      errors.add(new FieldError("themeId", "required", "Choose the theme this action answers"));
    }
    if (blank(form.what()) || form.what().length() > 2000) {
      errors.add(new FieldError("what", "required", "Say what was done, in up to 2,000 characters"));
    }
    if (blank(form.agency()) || form.agency().length() > 200) {
      errors.add(new FieldError("agency", "required", "Say which agency did it"));
    }
    if (form.status() == null || !STATUSES.contains(form.status())) {
      errors.add(new FieldError("status", "not_an_option", "Choose planned, in progress or done"));
    }
    try {
      LocalDate.parse(form.date() == null ? "" : form.date());
    } catch (DateTimeParseException e) {
      errors.add(new FieldError("date", "not_a_date", "Enter the date like 2026-11-28"));
    }
    boolean anySummary = false;
    for (Map.Entry<String, String> summary : form.summaries().entrySet()) {
      if (survey != null && !survey.languages().contains(summary.getKey())) {
        errors.add(new FieldError("summary_" + summary.getKey(), "not_an_option",
            "'" + summary.getKey() + "' is not a language of this survey"));
      } else if (!blank(summary.getValue())) {
        anySummary = true;
        if (summary.getValue().length() > 600) {
          errors.add(new FieldError("summary_" + summary.getKey(), "too_long", "Keep the public summary under 600 characters"));
        }
      }
    }
    for (Map.Entry<String, String> heading : form.headings().entrySet()) {
      if (survey != null && !survey.languages().contains(heading.getKey())) {
        errors.add(new FieldError("heading_" + heading.getKey(), "not_an_option",
            "'" + heading.getKey() + "' is not a language of this survey"));
      } else if (!blank(heading.getValue()) && heading.getValue().length() > 120) {
        errors.add(new FieldError("heading_" + heading.getKey(), "too_long", "Keep the heading under 120 characters"));
      }
    }
    if (!anySummary && survey != null) {
      errors.add(new FieldError("summary_" + survey.defaultLanguage(), "required",
          "Write the public summary in plain language"));
    }
    if (!errors.isEmpty()) {
      throw new HeardException.Invalid("invalid-action", errors.size() == 1 ? "One thing needs correcting."
          : errors.size() + " things need correcting.", errors);
    }
    return survey;
  }

  private static void apply(JsonObject action, Form form, SurveyDefinition survey) {
    JsonObject summaries = new JsonObject();
    form.summaries().forEach((language, text) -> {
      if (!blank(text)) {
        summaries.put(language, text.strip());
      }
    });
    JsonObject headings = new JsonObject();
    form.headings().forEach((language, text) -> {
      if (!blank(text)) {
        headings.put(language, text.strip());
      }
    });
    action.put("headings", headings);
    action.put("surveyId", survey.id()).put("themeId", form.themeId().strip())
        .put("themeLabel", form.themeLabel() == null ? "" : form.themeLabel().strip())
        .put("what", form.what().strip()).put("agency", form.agency().strip()).put("status", form.status())
        .put("date", form.date()).put("summaries", summaries).put("defaultLanguage", survey.defaultLanguage());
  }

  private Future<Void> record(StaffUser user, AuditAction what, JsonObject action, Map<String, Object> details) {
    return audit.record(user, what,
        List.of(action.getString("_id")), details);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  public ActionStore store() {
    return store;
  }

  /** A status as staff pages show it. */
  public static String statusName(String status) {
    return switch (status) {
      case "in_progress" -> "In progress";
      case "done" -> "Done";
      default -> "Planned";
    };
  }
}
