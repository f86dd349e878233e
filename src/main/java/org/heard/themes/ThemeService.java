package org.heard.themes;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.heard.analysis.CommentAnalysis;
import org.heard.response.ResponseStore;
import org.heard.store.Documents;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each survey's {@link ThemeModel}: built on a worker from the stored analyses the first
 * time it is asked for, then kept current as comments are analysed (each new comment goes to the
 * nearest theme at once), and rebuilt in the background when enough new comments have arrived
 * that the themes themselves may have moved. Theme ids carry over rebuilds and restarts through
 * the anchors kept in {@code theme_models}.
 */
public final class ThemeService {
  private static final Logger LOG = LoggerFactory.getLogger(ThemeService.class);
  /**
   * A rebuild starts by itself once the comments that arrived since the last build are more than
   * this share of those it was built from (so a model is built from at least 90% of what it covers
   * while the next one is made), and at least {@link #REBUILD_AFTER} arrived.
   */
  private static final double REBUILD_SHARE = 0.1;
  private static final int REBUILD_AFTER = 2;
  /** A model built from less than this share of the comments it covers is never shown: readers wait for the rebuild. */
  static final double SHOWN_FROM_AT_LEAST = 0.8;

  private final ResponseStore responses;
  private final ThemeAnchors anchors;
  private final SurveyCatalog catalog;
  private final WorkerExecutor executor;
  private final Clock clock;
  private final ThemeClusterer.Settings settings;
  private final Map<String, ThemeModel> models = new HashMap<>();
  private final Map<String, Future<ThemeModel>> building = new HashMap<>();
  private final Map<String, List<ThemeItem>> arrivedWhileBuilding = new HashMap<>();

  public ThemeService(ResponseStore responses, ThemeAnchors anchors, SurveyCatalog catalog, WorkerExecutor executor,
                      Clock clock, ThemeClusterer.Settings settings) {
    this.responses = responses;
    this.anchors = anchors;
    this.catalog = catalog;
    this.executor = executor;
    this.clock = clock;
    this.settings = settings;
  }

  /** When the last rebuild of a survey failed (until one succeeds): the next try waits {@link #RETRY_AFTER}. */
  private final Map<String, Instant> failures = new HashMap<>();
  private static final Duration RETRY_AFTER = Duration.ofMinutes(1);

  /** The survey's themes model, building it first if there is none yet. */
  public Future<ThemeModel> model(String surveyId) {
    synchronized (this) {
      ThemeModel model = models.get(surveyId);
      if (model != null && !stale(model)) {
        rebuildIfBehind(model);
        return Future.succeededFuture(model);
      }
      if (failedLately(surveyId) && !building.containsKey(surveyId)) {
        // Not a build per reader while builds fail: the last good model, or none, until the retry.
        return model != null ? Future.succeededFuture(model)
            : Future.failedFuture(new IllegalStateException("the last theme build failed"));
      }
    }
    return rebuild(surveyId);
  }

  /** The model to show and its state; null when there is none (the first build runs or failed). */
  private Future<Shown> shown(String surveyId) {
    return model(surveyId).map(model -> {
      synchronized (this) {
        String state = failures.containsKey(surveyId) ? "failed" : building.containsKey(surveyId) ? "refreshing" : "current";
        return new Shown(model, state);
      }
    }).recover(error -> {
      synchronized (this) {
        ThemeModel last = models.get(surveyId);
        // The last good model is still better than nothing; with none, the reader is told themes are on their way.
        return Future.succeededFuture(new Shown(last, last == null ? "refreshing" : "failed"));
      }
    });
  }

  private record Shown(ThemeModel model, String state) {
  }

  private static boolean stale(ThemeModel model) {
    int covered = model.builtFrom() + Math.max(0, model.addedSinceBuild());
    return model.builtFrom() < SHOWN_FROM_AT_LEAST * covered;
  }

  private void rebuildIfBehind(ThemeModel model) {
    int arrived = model.addedSinceBuild();
    if (arrived >= REBUILD_AFTER && arrived > REBUILD_SHARE * model.builtFrom() && !building.containsKey(model.surveyId())
        && !failedLately(model.surveyId())) {
      rebuild(model.surveyId());
    }
  }

  private boolean failedLately(String surveyId) {
    Instant failed = failures.get(surveyId);
    return failed != null && clock.instant().isBefore(failed.plus(RETRY_AFTER));
  }

  /** Rebuilds from the database (one build per survey at a time); completes with the new model. */
  public Future<ThemeModel> rebuild(String surveyId) {
    synchronized (this) {
      Future<ThemeModel> running = building.get(surveyId);
      if (running != null) {
        return running;
      }
      arrivedWhileBuilding.put(surveyId, new ArrayList<>());
      Future<ThemeModel> build = previousThemes(surveyId)
          .compose(previous -> load(surveyId).compose(items -> executor.<ThemeModel>executeBlocking(
              () -> ThemeModelBuilder.build(surveyId, items, previous, settings, clock.instant()), false)))
          .compose(model -> saveAnchors(model).map(model));
      // Registered before the completion handler, which may run at once if the build fails at once.
      building.put(surveyId, build);
      build.onComplete(done -> {
        synchronized (this) {
          building.remove(surveyId);
          List<ThemeItem> arrived = arrivedWhileBuilding.remove(surveyId);
          if (done.succeeded()) {
            arrived.forEach(done.result()::add);
            models.put(surveyId, done.result());
            failures.remove(surveyId);
          } else {
            failures.put(surveyId, clock.instant());
            LOG.warn("themes for survey {} could not be built: {}", surveyId, done.cause().getClass().getName());
          }
        }
      });
      return build;
    }
  }

  /** A response's analysis was stored: its comments join the nearest themes now. */
  public void analysed(JsonObject response) {
    SurveyDefinition survey = catalog.find(response.getString("surveyId")).orElse(null);
    if (survey == null) {
      return;
    }
    List<ThemeItem> items = items(survey, response, new HashMap<>());
    synchronized (this) {
      ThemeModel model = models.get(survey.id());
      if (model != null) {
        items.forEach(model::add);
        // Not only when someone reads: the model is rebuilt as comments arrive.
        rebuildIfBehind(model);
      }
      List<ThemeItem> arrived = arrivedWhileBuilding.get(survey.id());
      if (arrived != null) {
        arrived.addAll(items);
      }
    }
  }

  /** A response was erased: it leaves every model now. */
  public synchronized void erased(String responseId) {
    models.values().forEach(model -> model.remove(responseId));
  }

  /** The theme report for a query (building the model first if needed). */
  public Future<JsonObject> report(String surveyId, ThemeQuery query, boolean members) {
    return shown(surveyId).map(shown -> {
      synchronized (this) {
        if (shown.model() == null) {
          return ThemeReport.none(surveyId, query, shown.state());
        }
        JsonObject report = ThemeReport.of(shown.model(), query, catalog.partnership().timezone(), members);
        report.put("model", ThemeReport.freshness(shown.model(), shown.state()));
        if (!shown.state().equals("current")) {
          report.put("note", "Themes are being refreshed: these were built on " + shown.model().builtAt()
              .atZone(catalog.partnership().timezone()).toLocalDate() + " from " + shown.model().builtFrom()
              + " comments, and comments that arrived since are placed in the nearest theme.");
        }
        return report;
      }
    });
  }

  /**
   * Every redacted comment of one theme in the query's period, newest first, with its language,
   * day and channel; null when the survey has no such theme.
   */
  public Future<JsonObject> comments(String surveyId, String themeId, ThemeQuery query) {
    return shown(surveyId).map(shown -> {
      synchronized (this) {
        ThemeModel model = shown.model();
        ThemeModel.Theme theme = model == null ? null : model.theme(themeId);
        if (theme == null) {
          return null;
        }
        ZoneId zone = catalog.partnership().timezone();
        List<ThemeModel.Assignment> in = new ArrayList<>();
        for (ThemeModel.Assignment a : model.assignments()) {
          if (a.themeId().equals(themeId) && query.matches(a.item(), zone)) {
            in.add(a);
          }
        }
        in.sort(Comparator.comparing((ThemeModel.Assignment a) -> a.item().receivedAt()).reversed()
            .thenComparing(a -> a.item().key()));
        JsonArray comments = new JsonArray();
        for (ThemeModel.Assignment a : in) {
          comments.add(new JsonObject().put("text", a.item().analysis().text().redacted())
              .put("language", a.item().analysis().text().language())
              .put("day", a.item().receivedAt().atZone(zone).toLocalDate().toString())
              .put("channel", a.item().channel()));
        }
        return new JsonObject().put("survey", surveyId).put("id", theme.id()).put("label", theme.label())
            .put("kind", theme.kind().name().toLowerCase(Locale.ROOT))
            .put("from", query.from().toString()).put("to", query.to().toString())
            .put("size", in.size()).put("comments", comments);
      }
    });
  }

  /** Theme ids per response id, for exports (from the current model; empty if none is built). */
  public synchronized Optional<Map<String, List<String>>> themeIds(String surveyId) {
    ThemeModel model = models.get(surveyId);
    return model == null ? Optional.empty() : Optional.of(model.themeIdsByResponse());
  }

  /** Labels of the current model's themes, by id. */
  public synchronized Map<String, String> labels(String surveyId) {
    Map<String, String> labels = new LinkedHashMap<>();
    ThemeModel model = models.get(surveyId);
    if (model != null) {
      model.themes().forEach(t -> labels.put(t.id(), t.label()));
    }
    return labels;
  }

  private Future<List<ThemeItem>> load(String surveyId) {
    SurveyDefinition survey = catalog.find(surveyId).orElseThrow();
    Promise<List<ThemeItem>> done = Promise.promise();
    List<ThemeItem> items = new ArrayList<>();
    Map<String, String> canon = new HashMap<>();
    JsonObject fields = new JsonObject().put("surveyId", 1).put("receivedAt", 1).put("channel", 1)
        .put("analysis", 1);
    for (Question question : survey.questions()) {
      if (question.type() == QuestionType.AREA || question.monitoring()) {
        fields.put("answers." + question.id(), 1);
      }
    }
    ReadStream<JsonObject> stream = responses.streamAnalysed(surveyId, fields);
    stream.handler(response -> {
          try {
            items.addAll(items(survey, response, canon));
          } catch (RuntimeException damaged) {
            // A document that cannot be read must not leave the build waiting for ever.
            done.tryFail(damaged);
          }
        })
        .exceptionHandler(done::tryFail)
        .endHandler(v -> done.tryComplete(items));
    return done.future();
  }

  static List<ThemeItem> items(SurveyDefinition survey, JsonObject response, Map<String, String> canon) {
    JsonObject analysis = response.getJsonObject("analysis");
    if (analysis == null || analysis.isEmpty()) {
      return List.of();
    }
    JsonObject answers = response.getJsonObject("answers", new JsonObject());
    String area = null;
    Map<String, String> groups = new HashMap<>();
    for (Question question : survey.questions()) {
      Object value = answers.getValue(question.id());
      if (value == null) {
        continue;
      }
      if (question.type() == QuestionType.AREA) {
        area = canon.computeIfAbsent(String.valueOf(value), k -> k);
      } else if (question.monitoring()) {
        groups.put(question.id(), value instanceof JsonArray list ? String.join(",", list.stream().map(String::valueOf).toList())
            : String.valueOf(value));
      }
    }
    List<ThemeItem> items = new ArrayList<>();
    for (String questionId : analysis.fieldNames()) {
      items.add(new ThemeItem(response.getString("_id"), questionId,
          Documents.instant(response.getJsonObject("receivedAt")), response.getString("channel"), area, Map.copyOf(groups),
          CommentAnalysis.fromDocument(analysis.getJsonObject(questionId), canon)));
    }
    return items;
  }

  private Future<List<ThemeModel.Theme>> previousThemes(String surveyId) {
    synchronized (this) {
      ThemeModel model = models.get(surveyId);
      if (model != null) {
        return Future.succeededFuture(model.themes());
      }
    }
    return anchors.load(surveyId);
  }

  private Future<Void> saveAnchors(ThemeModel model) {
    return anchors.save(model);
  }
}
