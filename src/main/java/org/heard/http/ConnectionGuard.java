package org.heard.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps slow and greedy clients from taking every connection: at most {@code maxTotal} open
 * connections and {@code maxPerClient} from one address (a connection over either is closed as
 * soon as it opens); a connection must send a whole request head within {@code headerTimeout} of
 * opening or of its last response (a slowloris client trickling headers, or an idle keep-alive, is
 * closed), and a request's body must arrive within {@code bodyTimeout} (else 408 and closed). One
 * guard serves every HTTP server instance of the process.
 */
public final class ConnectionGuard {
  /** The limits; {@code maxPerClient} 0 means none per address (behind a reverse proxy). */
  public record Limits(int maxTotal, int maxPerClient, Duration headerTimeout, Duration bodyTimeout) {
  }

  private final Limits limits;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, AtomicInteger> perClient = new ConcurrentHashMap<>();
  private final Map<HttpConnection, Tracker> trackers = new ConcurrentHashMap<>();
  private final LongAdder refused = new LongAdder();
  private final LongAdder timedOut = new LongAdder();

  public ConnectionGuard(Limits limits) {
    this.limits = limits;
  }

  /** Connections open now. */
  public int open() {
    return open.get();
  }

  /** Connections closed at once because a limit was reached, since start. */
  public long refused() {
    return refused.sum();
  }

  /** Connections closed because a request head or body did not arrive in time, since start. */
  public long timedOut() {
    return timedOut.sum();
  }

  /** A connection opened (on its event loop): admitted and watched, or closed at once. */
  void opened(Vertx vertx, HttpConnection connection) {
    String client = connection.remoteAddress() == null ? "unknown" : connection.remoteAddress().hostAddress();
    if (!admit(client)) {
      refused.increment();
      connection.close();
      return;
    }
    Tracker tracker = new Tracker(vertx, connection);
    trackers.put(connection, tracker);
    connection.closeHandler(v -> {
      trackers.remove(connection);
      tracker.cancel();
      release(client);
    });
    tracker.awaitHead();
  }

  private boolean admit(String client) {
    if (open.incrementAndGet() > limits.maxTotal()) {
      open.decrementAndGet();
      return false;
    }
    if (limits.maxPerClient() > 0
        && perClient.computeIfAbsent(client, c -> new AtomicInteger()).incrementAndGet() > limits.maxPerClient()) {
      release(client);
      return false;
    }
    return true;
  }

  private void release(String client) {
    open.decrementAndGet();
    if (limits.maxPerClient() > 0) {
      perClient.computeIfPresent(client, (c, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
  }

  /** The first route handler: a request head arrived; its body and its end are watched. */
  void requestStarted(RoutingContext ctx) {
    Tracker tracker = trackers.get(ctx.request().connection());
    if (tracker != null) {
      tracker.started(ctx);
    }
    ctx.next();
  }

  /** One connection's timers; every call happens on the connection's event loop. */
  private final class Tracker {
    private final Vertx vertx;
    private final HttpConnection connection;
    private long headTimer = -1;
    private int inFlight;

    Tracker(Vertx vertx, HttpConnection connection) {
      this.vertx = vertx;
      this.connection = connection;
    }

    void awaitHead() {
      cancel();
      headTimer = vertx.setTimer(limits.headerTimeout().toMillis(), id -> {
        timedOut.increment();
        connection.close();
      });
    }

    void started(RoutingContext ctx) {
      cancel();
      inFlight++;
      HttpServerRequest request = ctx.request();
      long bodyTimer = request.isEnded() ? -1 : vertx.setTimer(limits.bodyTimeout().toMillis(), id -> {
        if (!request.isEnded()) {
          timedOut.increment();
          if (!ctx.response().headWritten()) {
            ctx.response().setStatusCode(408).putHeader("Connection", "close").end();
          }
          connection.close();
        }
      });
      ctx.addEndHandler(done -> {
        if (bodyTimer >= 0) {
          vertx.cancelTimer(bodyTimer);
        }
        if (--inFlight == 0) {
          awaitHead();
        }
      });
    }

    void cancel() {
      if (headTimer >= 0) {
        vertx.cancelTimer(headTimer);
        headTimer = -1;
      }
    }
  }
}
