package org.heard;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import org.heard.metrics.HeardMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.heard.audit.AuditLog;
import org.heard.auth.ApiTokens;
import org.heard.auth.PasswordHasher;
import org.heard.auth.StaffLogin;
import org.heard.auth.StaffSessions;
import org.heard.paper.BatchStore;
import org.heard.paper.EntryPages;
import org.heard.paper.EntryStore;
import org.heard.paper.PaperEntryService;
import org.heard.paper.PaperImport;
import org.heard.response.ResponseRecords;
import org.heard.spool.Backlog;
import org.heard.spool.Spool;
import org.heard.staff.ResponsePages;
import org.heard.staff.StaffPages;
import org.heard.staff.StaffView;
import org.heard.web.StaffApi;
import org.heard.web.StaffGate;
import org.heard.auth.StaffAccounts;
import org.heard.config.Config;
import org.heard.config.DataDirectory;
import io.vertx.ext.web.client.WebClient;
import org.heard.privacy.PrivacyService;
import org.heard.privacy.Pseudonyms;
import org.heard.response.ResponseService;
import org.heard.sms.NumberStore;
import org.heard.sms.SmsDialogue;
import org.heard.sms.SmsSender;
import org.heard.sms.SmsService;
import org.heard.sms.SmsWebhook;
import org.heard.response.ResponseStore;
import org.heard.store.Database;
import org.heard.survey.SurveyCatalog;
import org.heard.web.HealthHandlers;
import org.heard.web.HttpVerticle;
import org.heard.web.ResponseApi;
import org.heard.web.SurveyApi;
import org.heard.web.WebServices;
import org.heard.webform.DraftStore;
import org.heard.i18n.Messages;
import org.heard.webform.PostRateLimiter;
import org.heard.web.Templates;
import org.heard.webform.WebFormHandlers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.heard.analysis.AnalysisQueue;
import org.heard.analysis.AnalysisWorker;
import org.heard.themes.ThemeClusterer;
import org.heard.themes.ThemeService;
import org.heard.web.ThemeApi;
import org.heard.web.DigestApi;
import org.heard.staff.DigestPages;
import org.heard.staff.ActionPages;
import org.heard.actions.ActionService;
import org.heard.actions.ActionStore;
import org.heard.digest.DigestCounts;
import org.heard.digest.DigestService;
import org.heard.digest.IndicatorPacks;
import org.heard.export.ResponseExport;

/**
 * The composition root: reads definitions, opens the store, wires the services and deploys the
 * HTTP server. Nothing else lives here.
 */
public final class HeardServer {
  private static final Logger LOG = LoggerFactory.getLogger(HeardServer.class);
  private static final long START_TIMEOUT_SECONDS = 60;
  /** Abandoned web form answers are deleted after this long untouched. */
  static final Duration DRAFT_RETENTION = Duration.ofDays(30);
  private static final Duration DRAFT_SWEEP = Duration.ofHours(1);
  /** Idle SMS conversations are ended at most this long after their timeout. */
  private static final Duration SMS_SWEEP = Duration.ofMinutes(1);
  private static final Duration SMS_FIRST_BACKOFF = Duration.ofMillis(500);
  private static final Duration SESSION_SWEEP = Duration.ofMinutes(15);
  private static final Duration SPOOL_DRAIN = Duration.ofSeconds(1);
  private static final Duration RETENTION_SWEEP = Duration.ofHours(6);
  private static final Duration SPOOL_COMPACT = Duration.ofSeconds(5);
  private static final Duration ANALYSIS_POLL = Duration.ofSeconds(1);
  private static final Duration ANALYSIS_QUEUE_COUNT = Duration.ofSeconds(15);
  private static final Duration DIGEST_FLUSH = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final Database database;
  private final SurveyCatalog catalog;
  private final String httpDeployment;
  private final int port;
  private final Config config;
  private final SmsSender smsSender;
  private final Backlog backlog;
  private final AnalysisWorker analysis;
  private final ThemeService themes;
  private final DigestCounts digestCounts;

  private HeardServer(Vertx vertx, Database database, SurveyCatalog catalog, String httpDeployment, int port,
      Config config, SmsSender smsSender, Backlog backlog, AnalysisWorker analysis, ThemeService themes,
      DigestCounts digestCounts) {
    this.digestCounts = digestCounts;
    this.analysis = analysis;
    this.themes = themes;
    this.smsSender = smsSender;
    this.backlog = backlog;
    this.vertx = vertx;
    this.database = database;
    this.catalog = catalog;
    this.httpDeployment = httpDeployment;
    this.port = port;
    this.config = config;
  }

  /**
   * Starts Heard and returns once it listens. Blocking, for the main thread or a test; throws
   * {@code ConfigException} or {@code DefinitionException} with every problem when it cannot start.
   */
  public static HeardServer start(Config config) throws Exception {
    DataDirectory dataDir = DataDirectory.open(config.dataDir());
    // Load (or create) the pseudonymising key now, so a data directory never runs without one.
    String secret = dataDir.secret(config.secret());
    Messages messages = new Messages();
    SurveyCatalog catalog = Definitions.load(config.surveysDir(), messages);
    HeardMetrics metrics = new HeardMetrics();
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .setJvmMetricsEnabled(true)
            .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE))))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
        .build();
    Database database = null;
    Spool spool = null;
    AnalysisWorker analysis = null;
    try {
      database = Database.open(vertx, config, dataDir);
      Clock clock = Clock.systemUTC();
      ResponseStore responseStore = new ResponseStore(database.client());
      StaffAccounts staff = new StaffAccounts(vertx, database.client(), new PasswordHasher(), clock);
      boolean https = "https".equals(config.publicUrl().getScheme());
      spool = Spool.open(dataDir.path().resolve("spool"), vertx);
      Backlog backlog = new Backlog(spool);
      ResponseService responses = new ResponseService(catalog, responseStore, backlog, metrics, clock);
      metrics.gauge("heard_spool_backlog", "Acknowledged records not yet settled in the database", spool::backlog);
      Spool spoolForTimers = spool;
      vertx.setPeriodic(SPOOL_DRAIN.toMillis(), id -> backlog.drain());
      vertx.setPeriodic(SPOOL_COMPACT.toMillis(), id -> vertx.executeBlocking(() -> {
        spoolForTimers.compact();
        return null;
      }, false));
      DraftStore drafts = new DraftStore(database.client());
      Pseudonyms pseudonyms = new Pseudonyms(secret);
      NumberStore numbers = new NumberStore(database.client());
      SmsSender sender = config.sms().accountSid().isEmpty() ? null : new SmsSender(vertx, WebClient.create(vertx),
          new SmsSender.Settings(config.sms().apiUrl(), config.sms().accountSid().get(),
              config.twilioAuthToken().orElseThrow(), config.sms().from().orElseThrow(),
              config.sms().sendsPerSecond(), SMS_FIRST_BACKOFF.toMillis()),
          numbers, pseudonyms);
      SmsService sms = new SmsService(vertx, numbers,
          new SmsDialogue(catalog, messages, pseudonyms, config.sms().idleTimeout()), responses, pseudonyms, backlog,
          sender, clock);
      long smsSweepMillis = Math.max(1_000, Math.min(SMS_SWEEP.toMillis(), config.sms().idleTimeout().toMillis() / 4));
      vertx.setPeriodic(smsSweepMillis, smsSweepMillis, id -> sms.sweep()
          .onFailure(error -> LOG.warn("SMS sweep did not finish, will retry: {}", error.getClass().getName())));
      vertx.setPeriodic(DRAFT_SWEEP.toMillis(), id -> drafts.deleteUntouchedFor(DRAFT_RETENTION)
          .onFailure(error -> LOG.warn("could not delete abandoned web form drafts: {}", error.getClass().getName())));
      Templates templates = new Templates();
      AuditLog audit = new AuditLog(database.client());
      StaffSessions sessions = new StaffSessions(database.client(), clock);
      ApiTokens tokens = new ApiTokens(database.client(), clock);
      StaffLogin login = new StaffLogin(staff, audit, clock);
      StaffGate gate = new StaffGate(sessions, tokens, staff, https);
      PrivacyService privacy = new PrivacyService(database.client(), catalog, pseudonyms, sms, spool, audit, clock);
      vertx.setPeriodic(RETENTION_SWEEP.toMillis(), id -> privacy.applyRetention()
          .onFailure(error -> LOG.warn("retention sweep did not finish: {}", error.getClass().getName())));
      StaffView staffView = new StaffView(templates, catalog.partnership().name());
      ResponseRecords records = new ResponseRecords(database.client(), catalog, audit, clock);
      PaperEntryService paper = new PaperEntryService(catalog, new BatchStore(database.client()),
          new EntryStore(database.client()), responses, responseStore, audit, clock);
      vertx.setPeriodic(SESSION_SWEEP.toMillis(), id -> sessions.deleteExpired()
          .onFailure(error -> LOG.warn("could not delete expired staff sessions: {}", error.getClass().getName())));
      WebFormHandlers webForms = new WebFormHandlers(catalog, messages, templates, drafts, responses, https);
      AnalysisQueue analysisQueue = new AnalysisQueue(database.client(), clock, config.analysisRetry().toMillis());
      AnalysisWorker worker = new AnalysisWorker(vertx, database.client(), catalog, analysisQueue, clock);
      java.util.concurrent.atomic.AtomicLong analysisPending = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicLong analysisFailed = new java.util.concurrent.atomic.AtomicLong();
      metrics.gauge("heard_analysis_queue_pending", "Stored responses waiting for text analysis", analysisPending::get);
      metrics.gauge("heard_analysis_queue_failed", "Text analyses given up after every retry (kept, with the reason)",
          analysisFailed::get);
      vertx.setPeriodic(ANALYSIS_QUEUE_COUNT.toMillis(), id -> analysisQueue.counts().onSuccess(counts -> {
        analysisPending.set(counts.getLong("pending"));
        analysisFailed.set(counts.getLong("failed"));
      }));
      analysis = worker; // for the clean-up below, should start-up fail
      ThemeService themes = new ThemeService(database.client(), catalog,
          vertx.createSharedWorkerExecutor("heard-themes", 1, 10, TimeUnit.MINUTES), clock, ThemeClusterer.Settings.defaults());
      responseStore.onStored(worker::stored);
      DigestCounts digestCounts = new DigestCounts(database.client(), catalog);
      responseStore.onStored(digestCounts::count);
      vertx.setPeriodic(DIGEST_FLUSH.toMillis(), id -> digestCounts.flush());
      privacy.onErased(digestCounts::uncount);
      records.onCorrected((before, after) -> {
        digestCounts.uncount(before);
        digestCounts.count(after);
        worker.corrected(after);
      });
      ActionStore actionStore = new ActionStore(database.client());
      ActionService actionService = new ActionService(actionStore, catalog, database.client(), sender, audit, clock);
      IndicatorPacks packs = new IndicatorPacks(digestCounts, database.client(), catalog.partnership(), clock);
      DigestService digests = new DigestService(digestCounts, themes, actionStore, packs, catalog.partnership());
      webForms.actions(actionStore);
      worker.onAnalysed(analysed -> themes.analysed(analysed.response()));
      privacy.onErased(erased -> themes.erased(erased.getString("_id")));
      WebServices services = new WebServices(config.httpHost(), config.httpPort(), https, config.shutdownGrace(),
          new HealthHandlers(database, spool),
          new SurveyApi(catalog),
          new ResponseApi(responses),
          webForms,
          new PostRateLimiter(config.webPostsPerMinute(), System::currentTimeMillis),
          new SmsWebhook(sms, config.twilioAuthToken().orElse(null), config.publicUrl().toString()),
          gate,
          new StaffPages(staffView, login, sessions, staff, audit, gate, privacy, https, clock),
          new EntryPages(staffView, paper, new PaperImport(paper)),
          new ResponsePages(staffView, records, catalog),
          new StaffApi(login, tokens, audit, records, privacy, clock),
          new ThemeApi(catalog, themes, audit, clock),
          new DigestApi(catalog, digests, packs, new ResponseExport(database.client()), themes, digestCounts, audit, clock),
          new DigestPages(staffView, catalog, digests, themes, audit, clock),
          new ActionPages(staffView, catalog, actionService, themes),
          dataDir.path().resolve("uploads").toString(),
          metrics.registry());
      AtomicReference<HttpVerticle> first = new AtomicReference<>();
      String deployment = responseStore.createIndexes()
          .compose(v -> numbers.createIndexes())
          .compose(v -> audit.createIndexes())
          .compose(v -> sessions.createIndexes())
          .compose(v -> analysisQueue.createIndexes())
          // A database from before digest counts existed (or restored without them) is counted once.
          .compose(v -> digestCounts.empty().compose(empty -> empty ? digestCounts.recount().onSuccess(n -> {
            if (n > 0) {
              LOG.info("digest counts rebuilt from {} stored responses", n);
            }
          }).mapEmpty() : Future.succeededFuture()))
          // Records acknowledged before an unclean stop are written again before new traffic.
          .compose(v -> backlog.drain())
          .compose(v -> privacy.applyRetention().onSuccess(n -> {
            if (n > 0) {
              LOG.info("retention: free text removed from {} responses past their survey's retention period", n);
            }
          }))
          .compose(v -> staff.ensureFirstAdmin(config.adminEmail(), config.adminPassword()))
          .onSuccess(created -> {
            if (created) {
              LOG.info("created the first administrator account from {}", Config.ADMIN_EMAIL);
            }
          })
          .compose(v -> vertx.deployVerticle(() -> {
            HttpVerticle verticle = new HttpVerticle(services);
            first.compareAndSet(null, verticle);
            return verticle;
          }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())))
          .await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      // The models load on a worker after the server listens; responses queue for analysis meanwhile.
      worker.start(ANALYSIS_POLL.toMillis());
      return new HeardServer(vertx, database, catalog, deployment, first.get().actualPort(), config, sender, backlog,
          worker, themes, digestCounts);
    } catch (Exception e) {
      if (analysis != null) {
        analysis.stop();
      }
      if (spool != null) {
        spool.close();
      }
      if (database != null) {
        database.closeClient().await(10, TimeUnit.SECONDS);
        database.stopEmbedded();
      }
      vertx.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** The outbound SMS sender, when a Twilio account is configured. */
  public java.util.Optional<SmsSender> smsSender() {
    return java.util.Optional.ofNullable(smsSender);
  }

  /** Records acknowledged but not yet settled in the database (what {@code /ready} reports). */
  public int spoolBacklog() {
    return backlog.spool().backlog();
  }

  /** The theme service (benchmarks time its builds). */
  public ThemeService themes() {
    return themes;
  }

  public SurveyCatalog catalog() {
    return catalog;
  }

  /** The URI of the database in use, for tests and benchmarks that connect their own client. */
  public String databaseConnectionString() {
    return database.connectionString();
  }

  public boolean embeddedDatabase() {
    return database.isEmbedded();
  }

  /** The address to print: the configured host, or localhost when listening on all interfaces. */
  public String localUrl() {
    String host = config.httpHost().equals("0.0.0.0") || config.httpHost().equals("::") ? "localhost" : config.httpHost();
    return "http://" + host + ":" + port;
  }

  /**
   * Stops accepting requests, lets in-flight ones finish, then closes the database cleanly.
   * Blocking; call it from the shutdown hook or a test thread.
   */
  public void stop() throws Exception {
    long graceSeconds = config.shutdownGrace().toSeconds() + 10;
    Future<Void> undeployed = vertx.undeploy(httpDeployment);
    try {
      undeployed.await(graceSeconds, TimeUnit.SECONDS);
      analysis.stop().await(30, TimeUnit.SECONDS);
      digestCounts.flush().otherwiseEmpty().await(10, TimeUnit.SECONDS);
      // A last chance for queued records while the database is still connected; the rest wait on disk.
      backlog.drain().await(10, TimeUnit.SECONDS);
    } finally {
      boolean clean = false;
      try {
        database.closeClient().await(10, TimeUnit.SECONDS);
        database.stopEmbedded();
        clean = true;
      } finally {
        backlog.spool().close(clean);
      }
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
