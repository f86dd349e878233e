package org.heard.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed sign-ins per client address: after {@code maxFailures} in a {@code window}, that address
 * is refused at once (no password is checked) until the window ends, so one address cannot keep the
 * password worker busy or guess at accounts. A success clears the address. In memory, per
 * instance: it sheds a flood; the per-account lockout (in the database) guards each account.
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

  public SignInThrottle(int maxFailures, Duration window, Clock clock) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.clock = clock;
  }

  /** How long this address must wait before it may try again, or {@link Duration#ZERO}. */
  public Duration waitFor(String address) {
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
  public boolean failed(String address) {
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
  }

  public int maxFailures() {
    return maxFailures;
  }

  public Duration window() {
    return window;
  }
}
