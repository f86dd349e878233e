package org.heard.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.AllowForwardHeaders;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.heard.config.TrustedProxies;


/**
 * One HTTP server instance (several are deployed, one per event loop, sharing the port): the
 * kernel's handlers first (connection limits, security headers, request sanity), then the routes the composition root
 * gives it, then static files, and every failure mapped by one {@link FailureHandler}.
 */
public final class HttpVerticle extends VerticleBase {
  /**
   * The largest form body any route reads (each route's BodyHandler sets its own limit up to this).
   * One form field may be as large: Vert.x's default of 8 KiB per field refused a 1,600-character
   * SMS in Polish and a long web answer with a bare 400, losing what the person typed.
   */
  public static final int MAX_FORM_BYTES = 256 * 1024;

  /** Where to listen, and what to serve. */
  public record Settings(String host, int port, boolean https, Duration shutdownGrace, Consumer<Router> routes,
                         FailureHandler.HtmlRenderer errorPages, ConnectionGuard connections,
                         TrustedProxies proxies) {
  }

  /** The headers by which a proxy says who the client is and how it connected. */
  static final List<String> FORWARDED_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Proto",
      "X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Ssl");
  /** Set on a request whose forwarded headers were removed (its peer is no trusted proxy). */
  public static final String FORWARDED_REMOVED = "X-Heard-Forwarded-Removed";

  private final Settings settings;
  private HttpServer server;

  private Router router;

  public HttpVerticle(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    router = Router.router(vertx);
    if (settings.proxies().any()) {
      // Vert.x Web reads the client's address and scheme from these headers; they reach it only
      // from trusted proxies (see the request handler below).
      router.allowForward(AllowForwardHeaders.ALL);
    }
    router.route().handler(new RequestIds());
    router.route().handler(settings.connections()::requestStarted);
    router.route().handler(new SecurityHeaders(settings.https()));
    router.route().handler(new RequestSanity());
    settings.routes().accept(router);
    router.route("/static/*").handler(StaticHandler.create("webroot").setCachingEnabled(true)
        .setMaxAgeSeconds(3600).setIncludeHidden(false).setDirectoryListing(false));

    FailureHandler failures = new FailureHandler(settings.errorPages());
    router.route().failureHandler(failures);
    router.errorHandler(404, ctx -> failures.sendStatus(ctx, 404));
    router.errorHandler(405, ctx -> failures.sendStatus(ctx, 405));

    HttpServerOptions options = new HttpServerOptions()
        .setHost(settings.host())
        .setPort(settings.port())
        .setCompressionSupported(true)
        // Plain HTTP/1.1 only: while Vert.x tells HTTP/1.1 from cleartext HTTP/2 it holds a connection
        // without telling the connection handler, so a client sending nothing would escape the limits.
        .setHttp2ClearTextEnabled(false)
        .setMaxHeaderSize(16 * 1024)
        .setMaxInitialLineLength(8 * 1024)
        .setMaxFormAttributeSize(MAX_FORM_BYTES)
        // A connection that sends nothing for this long is dropped (slow or stalled clients).
        .setIdleTimeout(60)
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    return vertx.createHttpServer(options)
        .connectionHandler(connection -> settings.connections().opened(vertx, connection))
        .requestHandler(request -> {
          if (settings.proxies().any() && !settings.proxies().contains(peer(request))) {
            boolean removed = false;
            for (String header : FORWARDED_HEADERS) {
              removed |= request.headers().contains(header);
              request.headers().remove(header);
            }
            if (removed) {
              request.headers().set(FORWARDED_REMOVED, "1");
            }
          }
          router.handle(request);
        })
        .listen()
        .onSuccess(s -> server = s);
  }

  private static String peer(HttpServerRequest request) {
    return request.connection() == null || request.connection().remoteAddress() == null ? null
        : request.connection().remoteAddress().hostAddress();
  }

  /** Stops accepting connections and lets in-flight requests finish, up to the grace period. */
  @Override
  public Future<?> stop() {
    Duration grace = settings.shutdownGrace();
    return server == null ? Future.succeededFuture() : server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Every route with a path, as {@code "GET /api/v1/surveys/:surveyId"} (one line per method). */
  public List<String> routeTable() {
    List<String> table = new ArrayList<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() != null && route.methods() != null) {
        route.methods().forEach(method -> table.add(method.name() + " " + route.getPath()));
      }
    }
    return table;
  }

  public int actualPort() {
    return server.actualPort();
  }
}
