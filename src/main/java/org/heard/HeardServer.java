package org.heard;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.heard.backup.ControlSocket;
import org.heard.config.Config;
import org.heard.config.ConfigException;
import org.heard.config.DataDirectory;
import org.heard.http.ConnectionGuard;
import org.heard.http.FeatureRoutes;
import org.heard.http.GatedRoutes;
import org.heard.http.HttpVerticle;
import org.heard.http.StaffRoute;
import org.heard.i18n.Messages;
import org.heard.metrics.HeardMetrics;
import org.heard.sms.OutboundQueue;
import org.heard.spool.Spool;
import org.heard.store.Database;
import org.heard.store.StoreScan;
import org.heard.survey.DefinitionException;
import org.heard.survey.SurveyCatalog;
import org.heard.themes.ThemeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops Heard: reads the definitions, opens the data directory, the store and the spool,
 * has {@link Heard} wire the services, runs the start-up sequence, and deploys the HTTP server.
 */
public final class HeardServer {
  private static final Logger LOG = LoggerFactory.getLogger(HeardServer.class);
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final Duration ANALYSIS_POLL = Duration.ofSeconds(1);

  private final Heard heard;
  private final PeriodicJobs jobs;
  private final String httpDeployment;
  private final int port;
  private final List<StaffRoute> staffRoutes;
  private final ControlSocket control;
  private final List<String> routeTable;

  private HeardServer(Heard heard, PeriodicJobs jobs, String httpDeployment, HttpVerticle http,
      List<StaffRoute> staffRoutes, ControlSocket control) {
    this.heard = heard;
    this.control = control;
    this.jobs = jobs;
    this.httpDeployment = httpDeployment;
    this.port = http.actualPort();
    this.routeTable = List.copyOf(http.routeTable());
    this.staffRoutes = staffRoutes;
  }

  /**
   * Starts Heard and returns once it listens. Blocking, for the main thread or a test; throws
   * {@code ConfigException} or {@code DefinitionException} with every problem when it cannot start.
   */
  public static HeardServer start(Config config) throws Exception {
    long began = System.nanoTime();
    DataDirectory dataDir = DataDirectory.open(config.dataDir());
    // Load (or create) the pseudonymising key now, so a data directory never runs without one.
    String secret = dataDir.secret(config.secret());
    Messages messages = Definitions.messages(config.surveysDir());
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
    Heard heard = null;
    ControlSocket control = null;
    PeriodicJobs jobs = new PeriodicJobs(vertx);
    try {
      database = Database.open(vertx, config, dataDir);
      long opened = System.nanoTime();
      database.onStoreScan(scan -> metrics.storeScan(scan.collection(), scan.operation(), scan.filter()));
      spool = Spool.open(dataDir.path().resolve("spool"), vertx);
      // heard.jar backup asks this running Heard through the data directory's control socket.
      control = ControlSocket.open(dataDir.path(), database::backup);
      dataDir.restrict();  // the store's and the spool's new files: owner-only before any traffic
      heard = new Heard(new Heard.Base(vertx, config, catalog, messages, metrics, database, spool, secret,
          dataDir, Clock.systemUTC()));
      heard.react();
      HeardJobs.schedule(heard, jobs);
      List<FeatureRoutes> features = heard.features();
      List<StaffRoute> staffRoutes = features.stream().flatMap(f -> f.staffRoutes().stream()).toList();
      Heard wired = heard;
      Config.Connections limits = config.connections();
      ConnectionGuard connections = new ConnectionGuard(new ConnectionGuard.Limits(limits.maxTotal(),
          limits.maxPerClient(), limits.headerTimeout(), limits.bodyTimeout()));
      metrics.gauge("heard_http_connections", "HTTP connections open now", connections::open);
      metrics.gauge("heard_http_connections_refused", "Connections closed at once: a connection limit was reached",
          connections::refused);
      metrics.gauge("heard_http_connections_timed_out", "Connections closed: a request head or body came too slowly",
          connections::timedOut);
      HttpVerticle.Settings http = new HttpVerticle.Settings(config.httpHost(), config.httpPort(), wired.https,
          config.shutdownGrace(), router -> mount(router, features, staffRoutes, wired), wired.publicPages::errorPage,
          connections, config.trustedProxies());
      AtomicReference<HttpVerticle> first = new AtomicReference<>();
      String deployment = heard.prepare()
          .compose(v -> vertx.deployVerticle(() -> {
            HttpVerticle verticle = new HttpVerticle(http);
            first.compareAndSet(null, verticle);
            return verticle;
          }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())))
          .await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      // The models load on a worker after the server listens; responses queue for analysis meanwhile.
      heard.analysis.start(ANALYSIS_POLL.toMillis());
      LOG.info("listening {} s after the start (the store open after {} s)", seconds(System.nanoTime() - began),
          seconds(opened - began));
      return new HeardServer(heard, jobs, deployment, first.get(), staffRoutes, control);
    } catch (Exception e) {
      jobs.cancelAll();
      if (control != null) {
        control.close();
      }
      if (heard != null) {
        heard.analysis.stop();
      }
      if (spool != null) {
        spool.close();
      }
      if (database != null) {
        database.closeClient().await(10, TimeUnit.SECONDS);
        database.stopEmbedded();
      }
      vertx.close().await(10, TimeUnit.SECONDS);
      // A start refused for its configuration or definitions says why, as the command line prints it.
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof ConfigException || cause instanceof DefinitionException) {
          throw (RuntimeException) cause;
        }
      }
      throw e;
    }
  }

  /** The route table: every feature's own routes, then every staff route behind the gate. */
  private static void mount(Router router, List<FeatureRoutes> features, List<StaffRoute> staffRoutes, Heard heard) {
    features.forEach(feature -> feature.mount(router));
    GatedRoutes.mount(router, heard.gate, staffRoutes, heard.base.uploadsDirectory());
  }

  public int port() {
    return port;
  }

  /** Every route with a path, as {@code "GET /path/:param"} (the OpenAPI test checks the API's). */
  public List<String> routeTable() {
    return routeTable;
  }

  /** Every staff route, as mounted (the role test walks them all). */
  public List<StaffRoute> staffRoutes() {
    return staffRoutes;
  }

  /** The queue every text Heard sends on its own goes through. */
  public OutboundQueue outboundSms() {
    return heard.outbound;
  }

  /** The spool itself (fault tests stop its writer). */
  public Spool spool() {
    return heard.base.spool();
  }

  /** Records acknowledged but not yet settled in the database (what {@code /ready} reports). */
  public int spoolBacklog() {
    return heard.base.spool().backlog();
  }

  /** The theme service (benchmarks time its builds). */
  public ThemeService themes() {
    return heard.themes;
  }

  public SurveyCatalog catalog() {
    return heard.base.catalog();
  }

  /** The URI of the database in use, for tests and benchmarks that connect their own client. */
  /** This instance's name in the job leases it holds (tests: which instance runs the sweeps). */
  public String leaseOwner() {
    return heard.jobLeases.owner();
  }

  public String databaseConnectionString() {
    return heard.base.database().connectionString();
  }

  /** The same for a tool's own client: on the embedded store, its queries are not counted as Heard's scans. */
  public String toolConnectionString(String tool) {
    return heard.base.database().toolConnectionString(tool);
  }

  /** The filters the embedded store has answered Heard by scanning a whole collection. */
  public List<StoreScan> storeScans() {
    return heard.base.database().storeScans();
  }

  public boolean embeddedDatabase() {
    return heard.base.database().isEmbedded();
  }

  /** The address to print: the configured host, or localhost when listening on all interfaces. */
  public String localUrl() {
    String host = heard.base.config().httpHost();
    return "http://" + (host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host) + ":" + port;
  }

  /**
   * Stops accepting requests, lets in-flight ones finish, then closes the database cleanly.
   * Blocking; call it from the shutdown hook or a test thread.
   */
  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
  }

  /**
   * What the store took is on disk after one more commit, and its spool copies then go: a clean
   * restart has nothing to write again (with a backlog just taken, replaying it made start-up seconds).
   */
  private void settleSpool(Database database) throws Exception {
    database.afterNextCommit().otherwiseEmpty().await(10, TimeUnit.SECONDS);
    // The settling runs on the event loops once the commit is on disk; give it a moment.
    for (int i = 0; i < 50 && heard.base.spool().backlog() > 0 && !heard.backlog.queueing(); i++) {
      Thread.sleep(20);
    }
  }

  public void stop() throws Exception {
    Config config = heard.base.config();
    Vertx vertx = heard.base.vertx();
    Database database = heard.base.database();
    long graceSeconds = config.shutdownGrace().toSeconds() + 10;
    Future<Void> undeployed = vertx.undeploy(httpDeployment);
    control.close();
    try {
      undeployed.await(graceSeconds, TimeUnit.SECONDS);
      jobs.cancelAll();
      // Another instance takes this one's sweeps at its next run rather than when the leases run out.
      heard.jobLeases.releaseAll().otherwiseEmpty().await(10, TimeUnit.SECONDS);
      heard.analysis.stop().await(30, TimeUnit.SECONDS);
      heard.digestCounts.flush().otherwiseEmpty().await(10, TimeUnit.SECONDS);
      // A last chance for queued records while the database is still connected; the rest wait on disk.
      heard.backlog.drain().await(10, TimeUnit.SECONDS);
      settleSpool(database);
    } finally {
      boolean clean = false;
      try {
        database.closeClient().await(10, TimeUnit.SECONDS);
        database.stopEmbedded();
        clean = true;
      } finally {
        heard.base.spool().close(clean);
      }
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
