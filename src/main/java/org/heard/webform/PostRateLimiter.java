package org.heard.webform;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.heard.error.HeardException;
import org.heard.http.ClientAddress;

/**
 * A per-client limit on form submissions, to slow naive bots without a CAPTCHA. Counted in memory
 * only, per one-minute window, by the connection's address; the address is never stored. Generous
 * by default, because a community centre's residents may all share one address.
 */
public final class PostRateLimiter {
  private static final long WINDOW_MS = 60_000;
  private static final int PRUNE_ABOVE = 10_000;

  private final int perMinute;
  private final LongSupplier clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  private record Window(long start, int count) {
  }

  public PostRateLimiter(int perMinute, LongSupplier clock) {
    this.perMinute = perMinute;
    this.clock = clock;
  }

  public void handle(RoutingContext ctx) {
    if (!allow(ClientAddress.of(ctx))) {
      ctx.fail(new HeardException.TooManyRequests("Too many forms were sent from your connection. "
          + "Please wait a minute, then go back and send the page again."));
      return;
    }
    ctx.next();
  }

  boolean allow(String client) {
    long now = clock.getAsLong();
    if (windows.size() > PRUNE_ABOVE) {
      windows.values().removeIf(w -> now - w.start() >= WINDOW_MS);
    }
    Window window = windows.compute(client, (key, w) ->
        w == null || now - w.start() >= WINDOW_MS ? new Window(now, 1) : new Window(w.start(), w.count() + 1));
    return window.count() <= perMinute;
  }
}
