package org.heard.themes;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
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
  /** Rebuild once this many comments arrived since the last build (and at least this share of it). */
  private static final int REBUILD_AFTER = 50;
  private static final double REBUILD_SHARE = 0.2;

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

  /** The survey's themes model, building it first if there is none yet. */
  public Future<ThemeModel> model(String surveyId) {
    synchronized (this) {
      ThemeModel model = models.get(surveyId);
      if (model != null) {
        if (model.addedSinceBuild() >= Math.max(REBUILD_AFTER, REBUILD_SHARE * model.builtFrom())) {
          rebuild(surveyId);
        }
        return Future.succeededFuture(model);
      }
    }
    return rebuild(surveyId);
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
          } else {
            LOG.warn("themes for survey {} could not be built: {}", surveyId, done.cause().toString());
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
    return model(surveyId).map(model -> {
      synchronized (this) {
        return ThemeReport.of(model, query, catalog.partnership().timezone(), members);
      }
    });
  }

  /**
   * Every redacted comment of one theme in the query's period, newest first, with its language,
   * day and channel; null when the survey has no such theme.
   */
  public Future<JsonObject> comments(String surveyId, String themeId, ThemeQuery query) {
    return model(surveyId).map(model -> {
      synchronized (this) {
        ThemeModel.Theme theme = model.theme(themeId);
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
    responses.streamAnalysed(surveyId, fields)
        .handler(response -> items.addAll(items(survey, response, canon)))
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
