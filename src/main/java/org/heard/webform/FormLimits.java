package org.heard.webform;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.heard.config.Config;
import org.heard.store.SharedCounters;

/**
 * How much the web form takes, to slow scripts without a CAPTCHA and without refusing residents who
 * share one address: pages per form session, new form sessions per address and survey, and
 * completed forms per survey, per fixed window. One instance counts in memory; instances sharing a
 * MongoDB count together in the database ({@link #shared}), so the budget is the configured one
 * whichever instance a request reaches. Addresses and form tokens are never stored: shared counts are
 * keyed by a keyed digest of them.
 */
public final class FormLimits {
  private static final long MINUTE_MS = 60_000;
  private static final long HOUR_MS = 60 * MINUTE_MS;
  private static final long LOCAL_AFTER_FAILURE_MS = 30_000;
  /** A shared count that takes longer than this is given up for this instance's own. */
  private static final long SHARED_TIMEOUT_MS = 1_000;

  /** Counts one more of {@code key} in its window and says how many there are now. */
  private interface Counter {
    Future<Long> add(String key);
  }

  private final Config.WebForms settings;
  private final Counter posts;
  private final Counter newForms;
  private final Counter sends;

  private FormLimits(Config.WebForms settings, Counter posts, Counter newForms, Counter sends) {
    this.settings = settings;
    this.posts = posts;
    this.newForms = newForms;
    this.sends = sends;
  }

  /** Counted in this instance's memory (one instance: the embedded store). */
  public static FormLimits inMemory(Config.WebForms settings, LongSupplier clock) {
    return new FormLimits(settings, new Windows(MINUTE_MS, clock), new Windows(HOUR_MS, clock),
        new Windows(MINUTE_MS, clock));
  }

  /**
   * Counted in the database with every other instance; {@code digest} keys what must not be stored.
   * While the database cannot be reached, each instance counts in memory again: the web form keeps
   * taking answers into the spool, within this instance's share of the budget.
   */
  public static FormLimits shared(Config.WebForms settings, SharedCounters counters, UnaryOperator<String> digest,
      BooleanSupplier databaseAway, LongSupplier clock) {
    return new FormLimits(settings,
        sharedOr(new Windows(MINUTE_MS, clock), databaseAway, key -> counters.add("form-posts|" + digest.apply(key),
            MINUTE_MS, clock.getAsLong())),
        sharedOr(new Windows(HOUR_MS, clock), databaseAway, key -> counters.add("new-forms|" + digest.apply(key),
            HOUR_MS, clock.getAsLong())),
        sharedOr(new Windows(MINUTE_MS, clock), databaseAway, key -> counters.add("sends|" + key, MINUTE_MS,
            clock.getAsLong())));
  }

  /**
   * The shared count, or this instance's own while the database is known to be away: in queueing
   * mode, or for {@link #LOCAL_AFTER_FAILURE_MS} after a shared count failed or took over
   * {@link #SHARED_TIMEOUT_MS}, so a resident's page never waits long for an unreachable database.
   */
  private static Counter sharedOr(Counter local, BooleanSupplier databaseAway, Counter shared) {
    AtomicLong localUntil = new AtomicLong();
    return key -> {
      if (databaseAway.getAsBoolean() || System.currentTimeMillis() < localUntil.get()) {
        return local.add(key);
      }
      return shared.add(key).timeout(SHARED_TIMEOUT_MS, TimeUnit.MILLISECONDS).recover(away -> {
        localUntil.set(System.currentTimeMillis() + LOCAL_AFTER_FAILURE_MS);
        return local.add(key);
      });
    };
  }

  /** One more page sent by the form session {@code token}: whether it is within the budget. */
  Future<Boolean> post(String token) {
    return posts.add(token).map(n -> n <= settings.postsPerForm());
  }

  /** One more form session started on {@code surveyId} from {@code address}. */
  Future<Boolean> newForm(String surveyId, String address) {
    return newForms.add(surveyId + " " + address).map(n -> n <= settings.newFormsPerHour());
  }

  /** One more completed form sent to {@code surveyId}. */
  Future<Boolean> send(String surveyId) {
    return sends.add(surveyId).map(n -> n <= settings.sendsPerMinute());
  }

  /** Counts per key in fixed windows; stale windows are pruned once many keys are held. */
  private static final class Windows implements Counter {
    private static final int PRUNE_ABOVE = 10_000;
    private final long length;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(long start, int count) {
    }

    Windows(long length, LongSupplier clock) {
      this.length = length;
      this.clock = clock;
    }

    @Override
    public Future<Long> add(String key) {
      long now = clock.getAsLong();
      if (windows.size() > PRUNE_ABOVE) {
        windows.values().removeIf(w -> now - w.start() >= length);
      }
      return Future.succeededFuture((long) windows.compute(key, (k, w) -> w == null || now - w.start() >= length
          ? new Window(now, 1) : new Window(w.start(), w.count() + 1)).count());
    }
  }
}
