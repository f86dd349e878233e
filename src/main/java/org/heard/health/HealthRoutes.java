package org.heard.health;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.Set;
import org.heard.auth.Role;
import org.heard.http.ClientAddress;
import org.heard.http.FeatureRoutes;
import org.heard.http.StaffGate;

/** {@code /health}, {@code /ready} and {@code /metrics}. */
public final class HealthRoutes implements FeatureRoutes {
  private final HealthHandlers health;
  private final StaffGate gate;
  private final PrometheusMeterRegistry metrics;

  public HealthRoutes(HealthHandlers health, StaffGate gate, PrometheusMeterRegistry metrics) {
    this.health = health;
    this.gate = gate;
    this.metrics = metrics;
  }

  @Override
  public void mount(Router router) {
    router.get("/health").handler(health::health);
    router.get("/ready").handler(health::ready);
    // Metrics: from this machine (a Prometheus agent beside Heard), or for an administrator's token.
    router.get("/metrics").handler(ctx -> {
      if (isLocal(ctx)) {
        ctx.next();
      } else {
        gate.api(ctx, Set.of(Role.ADMIN));
      }
    }).handler(PrometheusScrapingHandler.create(metrics));
  }

  /** A request made on this machine, not relayed by a proxy (which would make every caller look local). */
  private static boolean isLocal(RoutingContext ctx) {
    String address = ClientAddress.of(ctx);
    boolean loopback = address.startsWith("127.") || address.equals("0:0:0:0:0:0:0:1") || address.equals("::1");
    return loopback && ctx.request().getHeader("X-Forwarded-For") == null
        && ctx.request().getHeader("Forwarded") == null;
  }
}
