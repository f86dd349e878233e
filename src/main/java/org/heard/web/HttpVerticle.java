package org.heard.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.heard.paper.EntryPages;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.heard.sms.SmsWebhook;
import org.heard.webform.WebFormHandlers;

/**
 * One HTTP server instance (several are deployed, one per event loop, sharing the port). The
 * route table is the map of Heard's HTTP interface.
 */
public final class HttpVerticle extends VerticleBase {
  /** Staff forms are short: a paper form's answers, an account, a correction. */
  private static final long STAFF_FORM_BYTES = 256 * 1024;
  private final WebServices services;
  private HttpServer server;

  public HttpVerticle(WebServices services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(new SecurityHeaders(services.https()));
    router.route().handler(new RequestSanity());

    router.get("/health").handler(services.health()::health);
    router.get("/ready").handler(services.health()::ready);
    // Metrics: from this machine (a Prometheus agent beside Heard), or for an administrator's token.
    router.get("/metrics").handler(ctx -> {
      if (isLocal(ctx)) {
        ctx.next();
      } else {
        services.staffGate().api(ctx, java.util.Set.of(org.heard.auth.Role.ADMIN));
      }
    }).handler(io.vertx.micrometer.PrometheusScrapingHandler.create(services.metrics()));

    router.get("/api/v1/surveys").handler(services.surveyApi()::listOpen);
    router.get("/api/v1/surveys/:surveyId").handler(services.surveyApi()::definition);
    // The media type is checked on a route of its own so nothing is read from a body we refuse.
    String responses = "/api/v1/surveys/:surveyId/responses";
    router.post(responses).handler(ResponseApi::requireJson);
    router.post(responses)
        .handler(BodyHandler.create(false).setBodyLimit(ResponseApi.MAX_BODY_BYTES))
        .handler(services.responseApi()::submit);

    router.post("/sms/twilio").handler(services.smsWebhook()::precheck);
    router.post("/sms/twilio")
        .handler(BodyHandler.create(false).setBodyLimit(SmsWebhook.MAX_BODY_BYTES))
        .handler(services.smsWebhook()::receive);

    staffRoutes(router);

    WebFormHandlers forms = services.webForms();
    router.get("/").handler(forms::list);
    router.get("/you-said-we-did").handler(forms::youSaidWeDid);
    router.get("/surveys/:surveyId").handler(forms::page);
    router.get("/surveys/:surveyId/page/:page").handler(forms::page);
    router.get("/surveys/:surveyId/check").handler(forms::check);
    router.get("/surveys/:surveyId/done").handler(forms::done);
    router.post("/surveys/*").handler(services.webPostLimiter()::handle);
    BodyHandler formBody = BodyHandler.create(false).setBodyLimit(WebFormHandlers.MAX_BODY_BYTES);
    router.post("/surveys/:surveyId").handler(formBody).handler(forms::submitPage);
    router.post("/surveys/:surveyId/page/:page").handler(formBody).handler(forms::submitPage);
    router.post("/surveys/:surveyId/check").handler(formBody).handler(forms::submit);
    router.route("/static/*").handler(StaticHandler.create("webroot").setCachingEnabled(true)
        .setMaxAgeSeconds(3600).setIncludeHidden(false).setDirectoryListing(false));

    FailureHandler failures = new FailureHandler(forms::errorPage);
    router.route().failureHandler(failures);
    router.errorHandler(404, ctx -> failures.sendStatus(ctx, 404));
    router.errorHandler(405, ctx -> failures.sendStatus(ctx, 405));

    HttpServerOptions options = new HttpServerOptions()
        .setHost(services.host())
        .setPort(services.port())
        .setCompressionSupported(true)
        .setMaxHeaderSize(16 * 1024)
        .setMaxInitialLineLength(8 * 1024)
        // A connection that sends nothing for this long is dropped (slow or stalled clients).
        .setIdleTimeout(60)
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    return vertx.createHttpServer(options)
        .requestHandler(router)
        .listen()
        .onSuccess(s -> server = s);
  }

  /** A request made on this machine, not relayed by a proxy (which would make every caller look local). */
  private static boolean isLocal(RoutingContext ctx) {
    var remote = ctx.request().remoteAddress();
    boolean loopback = remote != null && remote.hostAddress() != null
        && (remote.hostAddress().startsWith("127.") || remote.hostAddress().equals("0:0:0:0:0:0:0:1")
            || remote.hostAddress().equals("::1"));
    return loopback && ctx.request().getHeader("X-Forwarded-For") == null
        && ctx.request().getHeader("Forwarded") == null;
  }

  /** Sign-in, the token API, and every route of the {@link StaffRoute} table behind its gate. */
  private void staffRoutes(Router router) {
    StaffGate gate = services.staffGate();
    router.get("/staff/login").handler(services.staffPages()::loginPage);
    router.post("/staff/login").handler(BodyHandler.create(false).setBodyLimit(STAFF_FORM_BYTES))
        .handler(services.staffPages()::login);
    router.post("/api/v1/auth/token").handler(ResponseApi::requireJson);
    router.post("/api/v1/auth/token").handler(BodyHandler.create(false).setBodyLimit(STAFF_FORM_BYTES))
        .handler(services.staffApi()::issueToken);
    for (StaffRoute route : StaffRoute.values()) {
      Handler<RoutingContext> handler = handler(route);
      switch (route.kind()) {
        case API -> {
          router.route(route.method(), route.path()).handler(ctx -> gate.api(ctx, route.roles()));
          if (route.method() == HttpMethod.POST) {
            router.route(route.method(), route.path()).handler(ResponseApi::requireJson);
            router.route(route.method(), route.path()).handler(BodyHandler.create(false).setBodyLimit(STAFF_FORM_BYTES))
                .handler(handler);
          } else {
            router.route(route.method(), route.path()).handler(handler);
          }
        }
        case PAGE, UPLOAD -> {
          router.route(route.method(), route.path()).handler(ctx -> gate.page(ctx, route.roles()));
          if (route.method() == HttpMethod.GET) {
            router.route(route.method(), route.path()).handler(handler);
          } else {
            BodyHandler body = route.kind() == StaffRoute.Kind.UPLOAD
                ? BodyHandler.create(services.uploadsDirectory()).setBodyLimit(EntryPages.MAX_UPLOAD_BYTES + 64 * 1024)
                    .setDeleteUploadedFilesOnEnd(true)
                : BodyHandler.create(false).setBodyLimit(STAFF_FORM_BYTES);
            router.route(route.method(), route.path()).handler(body).handler(StaffGate::requireCsrf).handler(handler);
          }
        }
      }
    }
  }

  private Handler<RoutingContext> handler(StaffRoute route) {
    var pages = services.staffPages();
    var entry = services.entryPages();
    var api = services.staffApi();
    return switch (route) {
      case HOME -> pages::home;
      case LOGOUT -> pages::logout;
      case ACCOUNTS -> pages::accounts;
      case ACCOUNT_CREATE -> pages::createAccount;
      case ACCOUNT -> pages::account;
      case ACCOUNT_UPDATE -> pages::updateAccount;
      case AUDIT -> pages::auditPage;
      case ERASURE -> pages::erasureForm;
      case ERASE -> pages::erase;
      case ENTRY_SURVEYS -> entry::surveys;
      case ENTRY_START -> entry::start;
      case BATCH_CREATE -> entry::createBatch;
      case BATCH -> entry::batch;
      case BATCH_ENTER -> entry::enter;
      case CSV_TEMPLATE -> entry::template;
      case IMPORT_FORM -> entry::importForm;
      case IMPORT -> entry::importFile;
      case MISMATCH -> entry::serial;
      case RESOLVE -> entry::resolve;
      case RESPONSE -> services.responsePages()::show;
      case CORRECT -> services.responsePages()::correct;
      case API_TOKENS -> api::listTokens;
      case API_TOKEN_REVOKE -> api::revokeToken;
      case API_RESPONSE -> api::response;
      case API_AUDIT -> api::auditLog;
      case API_THEMES -> services.themeApi()::themes;
      case API_DIGEST -> services.digestApi()::digest;
      case API_THEME_COMMENTS -> services.themeApi()::comments;
      case DIGEST_THEME -> services.digestPages()::theme;
      case API_EXPORT, DIGEST_EXPORT -> services.digestApi()::export;
      case API_PACK -> services.digestApi()::indicatorPack;
      case API_PACK_IMPORT -> services.digestApi()::importPack;
      case API_RECOUNT -> services.digestApi()::recount;
      case DIGESTS -> services.digestPages()::list;
      case DIGEST -> services.digestPages()::page;
      case ACTIONS -> services.actionPages()::list;
      case ACTION_CREATE -> services.actionPages()::create;
      case ACTION -> services.actionPages()::show;
      case ACTION_UPDATE -> services.actionPages()::update;
      case API_ERASE -> api::erase;
    };
  }

  /** Stops accepting connections and lets in-flight requests finish, up to the grace period. */
  @Override
  public Future<?> stop() {
    Duration grace = services.shutdownGrace();
    return server == null ? Future.succeededFuture() : server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
