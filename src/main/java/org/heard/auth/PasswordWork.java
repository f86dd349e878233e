package org.heard.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.heard.error.HeardException;

/**
 * Argon2 work (checking and making password hashes), one at a time on a worker thread of its own,
 * paced by a token bucket: a burst of {@code burst} hashes runs at once, then one starts every
 * {@code interval}. Each hash takes a core and 19 MiB for about 100 ms, so a sustained flood of
 * sign-ins takes a tenth of one core (at 1 s) from the residents' submissions, never the machine,
 * while staff signing in together at nine o'clock do not wait. When more than {@code maxWaiting}
 * wait, the next is refused at once (429) instead of queueing without end.
 */
public final class PasswordWork implements AutoCloseable {
  private final WorkerExecutor executor;
  private final int maxWaiting;
  private final long intervalNanos;
  private final int burst;
  private final AtomicInteger pending = new AtomicInteger();
  /** The bucket, in hashes, and when it was last filled; only the one worker thread touches them. */
  private double tokens;
  private long filledAt = System.nanoTime();

  public PasswordWork(Vertx vertx, int maxWaiting, Duration interval, int burst) {
    this.executor = vertx.createSharedWorkerExecutor("heard-passwords", 1, 1, TimeUnit.MINUTES);
    this.maxWaiting = maxWaiting;
    this.intervalNanos = interval.toNanos();
    this.burst = burst;
    this.tokens = burst;
  }

  public <T> Future<T> run(Callable<T> work) {
    if (pending.incrementAndGet() > maxWaiting + 1) {
      pending.decrementAndGet();
      return Future.failedFuture(new HeardException.TooManyRequests(
          "Too many people are signing in at this moment. Please wait a few seconds and try again."));
    }
    return executor.<T>executeBlocking(() -> {
      // The password worker's own thread: pausing it holds up only the sign-ins waiting behind.
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (double) (now - filledAt) / intervalNanos);
      filledAt = now;
      if (tokens < 1) {
        TimeUnit.NANOSECONDS.sleep((long) ((1 - tokens) * intervalNanos));
        tokens = 1;
        filledAt = System.nanoTime();
      }
      tokens -= 1;
      return work.call();
    }, true).onComplete(done -> pending.decrementAndGet());
  }

  /**
   * Work that only makes a refusal take as long as a real check (a dummy hash): skipped when real
   * checks wait, so it never takes their place; then the refusal comes sooner, which under a flood
   * tells nobody anything.
   */
  public <T> Future<T> runUnlessBusy(Callable<T> work, T skipped) {
    if (pending.get() > 0) {
      return Future.succeededFuture(skipped);
    }
    return run(work).recover(busy -> Future.succeededFuture(skipped));
  }

  @Override
  public void close() {
    executor.close();
  }
}
