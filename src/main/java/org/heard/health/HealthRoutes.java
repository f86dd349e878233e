package org.heard.health;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import java.util.Set;
import org.heard.auth.Role;
import org.heard.http.FeatureRoutes;
import org.heard.http.HttpVerticle;
import org.heard.http.StaffGate;
import org.heard.http.StaffRoute;
import org.heard.http.StaffSection;

/** {@code /health}, {@code /ready}, {@code /metrics} and the metrics tokens' page. */
public final class HealthRoutes implements FeatureRoutes {
  /** The templates this feature's pages render (in src/main/resources/templates). */
  public static final List<String> TEMPLATES = List.of("staff-metrics-tokens");
  public static final StaffSection SECTION = new StaffSection("/staff/metrics-tokens", "Metrics tokens",
      "tokens for a Prometheus server on another host to read /metrics", List.of(Role.ADMIN));

  private final HealthHandlers health;
  private final StaffGate gate;
  private final PrometheusMeterRegistry metrics;
  private final MetricsTokens tokens;
  private final MetricsTokenPages pages;

  public HealthRoutes(HealthHandlers health, StaffGate gate, PrometheusMeterRegistry metrics, MetricsTokens tokens,
                      MetricsTokenPages pages) {
    this.health = health;
    this.gate = gate;
    this.metrics = metrics;
    this.tokens = tokens;
    this.pages = pages;
  }

  @Override
  public List<StaffRoute> staffRoutes() {
    return List.of(
        StaffRoute.page("METRICS_TOKENS", GET, "/staff/metrics-tokens", pages::list, Role.ADMIN),
        StaffRoute.page("METRICS_TOKEN_ISSUE", POST, "/staff/metrics-tokens", pages::issue, Role.ADMIN),
        StaffRoute.page("METRICS_TOKEN_REVOKE", POST, "/staff/metrics-tokens/:tokenId/revoke", pages::revoke, Role.ADMIN));
  }

  @Override
  public void mount(Router router) {
    router.get("/health").handler(health::health);
    router.get("/ready").handler(health::ready);
    // Metrics: from this machine (a Prometheus agent beside Heard), for a metrics token (a Prometheus
    // server elsewhere), or for an administrator's token.
    router.get("/metrics").handler(ctx -> {
      if (isLocal(ctx)) {
        ctx.next();
        return;
      }
      tokens.valid(StaffGate.bearerToken(ctx)).onComplete(valid -> {
        if (valid.succeeded() && valid.result()) {
          ctx.next();
        } else {
          gate.api(ctx, Set.of(Role.ADMIN));
        }
      });
    }).handler(PrometheusScrapingHandler.create(metrics));
  }

  /** A request made on this machine, not relayed by a proxy (which would make every caller look local). */
  private static boolean isLocal(RoutingContext ctx) {
    // The connection's own peer: with trusted proxies, the request's address is the client's.
    var peer = ctx.request().connection().remoteAddress();
    String address = peer == null ? "" : peer.hostAddress();
    boolean loopback = address.startsWith("127.") || address.equals("0:0:0:0:0:0:0:1") || address.equals("::1");
    return loopback && ctx.request().getHeader("X-Forwarded-For") == null
        && ctx.request().getHeader("Forwarded") == null && ctx.request().getHeader(HttpVerticle.FORWARDED_REMOVED) == null;
  }
}
