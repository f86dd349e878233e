package org.heard.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Heard's own metrics, beside the HTTP and pool metrics Vert.x records in the same Prometheus
 * registry: responses stored per channel (and whether written or queued), the spool backlog, and
 * the embedded store's whole-collection scans.
 */
public final class HeardMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Counter> stored = new ConcurrentHashMap<>();
  private final Map<String, Counter> scans = new ConcurrentHashMap<>();
  private final Counter analysed = Counter.builder("heard_responses_analysed")
      .description("Responses whose text analysis was stored").register(registry);

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** A response was stored (outcome "created") or queued in the spool ("queued") from a channel. */
  public void responseStored(String channel, String outcome) {
    stored.computeIfAbsent(channel + "/" + outcome, k -> Counter.builder("heard_responses_stored")
        .description("Responses stored, by channel, and whether written to the database or queued in the spool")
        .tag("channel", channel).tag("outcome", outcome).register(registry)).increment();
  }

  /** The embedded store read all of {@code collection} to answer a filter of this shape (no index fits it). */
  public void storeScan(String collection, String operation, String filter) {
    scans.computeIfAbsent(collection + " " + operation + " " + filter, k -> Counter.builder("heard_store_scans")
        .description("Queries the embedded store answered by reading a whole collection, by filter shape")
        .tag("collection", collection).tag("operation", operation).tag("filter", filter).register(registry))
        .increment();
  }

  /** A stored response's text analysis was written (how fast the analysis drains its queue). */
  public void commentAnalysed() {
    analysed.increment();
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, () -> value.get().doubleValue()).description(description).register(registry);
  }
}
