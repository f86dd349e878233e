package org.heard.themes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.heard.response.ResponseStore;
import org.heard.store.BackgroundJobs;
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
  private final Vertx vertx;
  private final BackgroundJobs jobs;
  /** Each survey's builds are background job {@code themes-<survey>} ({@code GET /api/v1/jobs/themes-<survey>}). */
  public static final String JOB_PREFIX = "themes-";
  /** How long a reader waits for a build before being told themes are on their way. */
  static final Duration READER_WAIT = Duration.ofSeconds(10);
  private final Map<String, ThemeModel> models = new HashMap<>();
  private final Map<String, Future<ThemeModel>> building = new HashMap<>();
  private final Map<String, List<ThemeItem>> arrivedWhileBuilding = new HashMap<>();

  public ThemeService(ResponseStore responses, ThemeAnchors anchors, SurveyCatalog catalog, WorkerExecutor executor,
                      Clock clock, ThemeClusterer.Settings settings, Vertx vertx, BackgroundJobs jobs) {
    this.responses = responses;
    this.vertx = vertx;
    this.jobs = jobs;
    this.anchors = anchors;
    this.catalog = catalog;
    this.executor = executor;
    this.clock = clock;
    this.settings = settings;
  }

  /** When the last rebuild of a survey failed (until one succeeds): the next try waits {@link #RETRY_AFTER}. */
  private final Map<String, Instant> failures = new HashMap<>();
  private static final Duration RETRY_AFTER = Duration.ofMinutes(1);
  /** A build longer than this is taken to have died with its instance; another may build. */
  private static final Duration BUILD_LEASE = Duration.ofMinutes(10);
  private final String instance = UUID.randomUUID().toString();
  /** Surveys whose themes someone asked for here (so a model built elsewhere is taken for them). */
  private final Set<String> asked = new HashSet<>();

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
    return shown(surveyId, READER_WAIT);
  }

  private Future<Shown> shown(String surveyId, Duration wait) {
    synchronized (this) {
      asked.add(surveyId);
    }
    // A first build of many comments takes longer than a reader should wait: past READER_WAIT the
    // reader is told themes are on their way (the build carries on as a background job).
    return model(surveyId).timeout(wait.toMillis(), TimeUnit.MILLISECONDS).map(model -> {
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
    if (behind(model) && !building.containsKey(model.surveyId())
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
      // One instance builds a survey's themes; the others take its model from the database.
      Future<ThemeModel> build = anchors.claimBuild(surveyId, instance, BUILD_LEASE)
          .compose(won -> won ? followed(surveyId).eventually(() -> anchors.releaseBuild(surveyId, instance))
              : adopt(surveyId));
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
          } else if (done.cause() instanceof BuildingElsewhere) {
            LOG.debug("themes for survey {} are being built by another instance", surveyId);
          } else {
            failures.put(surveyId, clock.instant());
            LOG.warn("themes for survey {} could not be built: {}", surveyId, done.cause().getClass().getName());
            if (!models.containsKey(surveyId)) {
              restoreLastGood(surveyId);
            }
          }
        }
      });
      return build;
    }
  }

  private Future<ThemeModel> buildHere(String surveyId, List<ThemeItem> items) {
    return previousThemes(surveyId)
        .compose(previous -> executor.<ThemeModel>executeBlocking(
            () -> ThemeModelBuilder.build(surveyId, items, previous, settings, clock.instant()), false))
        .compose(model -> saveAnchors(model).map(model));
  }

  /**
   * The build this instance holds the lease for, as background job {@code themes-<survey>}: its
   * progress is the comments read (of at most the survey's numbered responses).
   */
  private Future<ThemeModel> followed(String surveyId) {
    String job = JOB_PREFIX + surveyId;
    return responses.numberedSizes().compose(sizes -> jobs.start(job, "automatic", sizes.getOrDefault(surveyId, 0L)))
        .transform(started -> started.failed() ? adoptOrBuild(surveyId, new AtomicLong())
            : jobs.follow(vertx, job, started.result(), read -> adoptOrBuild(surveyId, read),
                model -> new JsonObject().put("themes", model.themes().size()).put("comments", model.builtFrom()),
                "the theme build failed; it is tried again a minute later"));
  }

  /**
   * A stored model newer than this instance's and not behind is taken; else this instance builds.
   * The comments are read once, for both.
   */
  private Future<ThemeModel> adoptOrBuild(String surveyId, AtomicLong read) {
    return load(surveyId, read).compose(items -> adopt(surveyId, () -> Future.succeededFuture(items))
        .transform(adopted -> adopted.succeeded() && !behind(adopted.result())
            ? Future.succeededFuture(adopted.result()) : buildHere(surveyId, items)));
  }

  private static boolean behind(ThemeModel model) {
    int arrived = model.addedSinceBuild();
    return arrived >= REBUILD_AFTER && arrived > REBUILD_SHARE * model.builtFrom();
  }

  /** Another instance holds the build: its last stored model, if newer than the one here. */
  private Future<ThemeModel> adopt(String surveyId) {
    return adopt(surveyId, () -> load(surveyId, new AtomicLong()));
  }

  /** The same, reading the survey's comments with {@code items} only when a model is taken. */
  private Future<ThemeModel> adopt(String surveyId, Supplier<Future<List<ThemeItem>>> items) {
    // The generation alone first: the assignments are read only for a model this instance will take.
    return anchors.generation(surveyId).compose(generation -> {
      ThemeModel mine;
      synchronized (this) {
        mine = models.get(surveyId);
      }
      if (generation == 0 || (mine != null && generation <= mine.builtAt().toEpochMilli())) {
        return Future.failedFuture(new BuildingElsewhere());
      }
      return anchors.loadModel(surveyId).compose(stored -> stored == null
          ? Future.failedFuture(new BuildingElsewhere()) : restore(surveyId, stored, items.get()));
    });
  }

  /** After a failed build with nothing in memory (after a restart): the last good model stored, if any. */
  private void restoreLastGood(String surveyId) {
    anchors.loadModel(surveyId)
        .compose(stored -> stored == null ? Future.<ThemeModel>succeededFuture(null)
            : restore(surveyId, stored, load(surveyId, new AtomicLong())))
        .onSuccess(model -> {
          if (model != null) {
            synchronized (this) {
              models.putIfAbsent(surveyId, model);
            }
          }
        })
        .onFailure(error -> LOG.warn("the last theme model of survey {} could not be restored: {}", surveyId,
            error.getClass().getName()));
  }

  /** A stored model over the survey's comments now (read from the responses, assigned on a worker). */
  private Future<ThemeModel> restore(String surveyId, ThemeAnchors.Stored stored, Future<List<ThemeItem>> comments) {
    return comments.compose(items -> executor.<ThemeModel>executeBlocking(
        () -> ThemeModelCodec.restore(surveyId, stored.doc(), stored.assignments(), items), false));
  }

  /** The build runs on another instance; its model is taken when it is stored. */
  private static final class BuildingElsewhere extends RuntimeException {
    BuildingElsewhere() {
      super("the themes are being built by another instance", null, false, false);
    }
  }

  /**
   * Takes the models other instances built since (each survey with a model here, or whose build was
   * left to another instance): every instance shows the same themes, built once.
   */
  public Future<Void> refresh() {
    List<String> surveys;
    synchronized (this) {
      surveys = catalog.all().stream().map(SurveyDefinition::id).filter(id -> !building.containsKey(id)).toList();
    }
    Future<Void> chain = Future.succeededFuture();
    for (String surveyId : surveys) {
      chain = chain.compose(v -> anchors.generation(surveyId).compose(generation -> {
        ThemeModel mine;
        synchronized (this) {
          mine = models.get(surveyId);
        }
        boolean newer = generation > 0 && (mine == null ? asked.contains(surveyId) : generation > mine.builtAt().toEpochMilli());
        return newer ? rebuild(surveyId).<Void>mapEmpty().otherwiseEmpty() : Future.<Void>succeededFuture();
      }));
    }
    return chain;
  }

  /** A response's analysis was stored: its comments join the nearest themes now. */
  public void analysed(JsonObject response) {
    SurveyDefinition survey = catalog.find(response.getString("surveyId")).orElse(null);
    if (survey == null) {
      return;
    }
    List<ThemeItem> items = ThemeItems.of(survey, response, new HashMap<>());
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
    return report(surveyId, query, members, READER_WAIT);
  }

  /** The same, waiting at most {@code wait} for a model that is being built or read back. */
  public Future<JsonObject> report(String surveyId, ThemeQuery query, boolean members, Duration wait) {
    return shown(surveyId, wait).map(shown -> {
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
        return ThemeReport.comments(shown.model(), themeId, query, catalog.partnership().timezone());
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

  private Future<List<ThemeItem>> load(String surveyId, AtomicLong read) {
    return ThemeItems.load(responses, catalog.find(surveyId).orElseThrow(), read);
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
