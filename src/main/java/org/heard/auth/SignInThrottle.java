package org.heard.auth;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.heard.store.SharedCounters;

/**
 * Failed sign-ins per client address: after {@code maxFailures} in a {@code window}, that address
 * is refused at once (no password is checked) until the window ends, so one address cannot keep the
 * password worker busy or guess at accounts. A success clears the address. Counted in memory,
 * and with several instances on a MongoDB also in the database ({@link #shared}: fixed windows keyed
 * by a digest of the address, never the address), so the limit holds whichever instance a try
 * reaches; while the database is slow or away each instance keeps to its own count. The per-account
 * lockout (in the database) guards each account.
 */
public final class SignInThrottle {
  /** Addresses remembered at most; beyond, the oldest windows are forgotten first. */
  private static final int MAX_ADDRESSES = 100_000;

  private record Failures(Instant since, int count) {
  }

  private final int maxFailures;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();
  private final SharedCounters counters;
  private final UnaryOperator<String> digest;

  private SignInThrottle(int maxFailures, Duration window, Clock clock, SharedCounters counters,
      UnaryOperator<String> digest) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.clock = clock;
    this.counters = counters;
    this.digest = digest;
  }

  /** One instance's own count (the embedded store: one instance). */
  public static SignInThrottle inMemory(int maxFailures, Duration window, Clock clock) {
    return new SignInThrottle(maxFailures, window, clock, null, null);
  }

  /** Counted also in the database, for every instance on it; {@code digest} keys an address. */
  public static SignInThrottle shared(int maxFailures, Duration window, Clock clock, SharedCounters counters,
      UnaryOperator<String> digest) {
    return new SignInThrottle(maxFailures, window, clock, counters, digest);
  }

  /** A shared count that takes longer than this is given up for this instance's own. */
  private static final long SHARED_TIMEOUT_MS = 1000;

  /** How long this address must wait before it may try again, or {@link Duration#ZERO}. */
  public Future<Duration> waitFor(String address) {
    Duration local = localWait(address);
    if (counters == null || !local.isZero()) {
      return Future.succeededFuture(local);
    }
    long now = clock.millis();
    return counters.read(key(address), window.toMillis(), now).timeout(SHARED_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(n -> n < maxFailures ? Duration.ZERO
            : Duration.ofMillis(SharedCounters.windowEnd(window.toMillis(), now) - now))
        .otherwise(Duration.ZERO);
  }

  private String key(String address) {
    return "sign-in-failures|" + digest.apply(address);
  }

  private Duration localWait(String address) {
    Failures seen = failures.get(address);
    if (seen == null || seen.count() < maxFailures) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.instant(), seen.since().plus(window));
    if (left.isNegative() || left.isZero()) {
      failures.remove(address, seen);
      return Duration.ZERO;
    }
    return left;
  }

  /** Counts a failure; true when this one reached the limit (the address is throttled from now). */
  public Future<Boolean> failed(String address) {
    boolean reachedHere = failedHere(address);
    if (counters == null) {
      return Future.succeededFuture(reachedHere);
    }
    return counters.add(key(address), window.toMillis(), clock.millis()).timeout(SHARED_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(n -> n == maxFailures || reachedHere && n < maxFailures)
        .otherwise(reachedHere);
  }

  private boolean failedHere(String address) {
    Instant now = clock.instant();
    if (failures.size() >= MAX_ADDRESSES) {
      failures.entrySet().removeIf(e -> e.getValue().since().plus(window).isBefore(now));
      if (failures.size() >= MAX_ADDRESSES) {
        failures.clear();
      }
    }
    Failures after = failures.merge(address, new Failures(now, 1), (old, one) ->
        old.since().plus(window).isBefore(now) ? one : new Failures(old.since(), old.count() + 1));
    return after.count() == maxFailures;
  }

  public void succeeded(String address) {
    failures.remove(address);
    if (counters != null) {
      counters.clear(key(address), window.toMillis(), clock.millis());
    }
  }

  public int maxFailures() {
    return maxFailures;
  }

  public Duration window() {
    return window;
  }
}
