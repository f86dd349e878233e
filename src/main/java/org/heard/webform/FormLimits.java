package org.heard.webform;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.heard.config.Config;

/**
 * How much the web form takes, to slow scripts without a CAPTCHA and without refusing residents who
 * share one address: pages per form session, new form sessions per address and survey, and
 * completed forms per survey. Counted in memory, per fixed window; addresses are never stored.
 */
public final class FormLimits {
  private static final long MINUTE_MS = 60_000;
  private static final long HOUR_MS = 60 * MINUTE_MS;

  private final Config.WebForms settings;
  private final Windows posts;
  private final Windows newForms;
  private final Windows sends;

  public FormLimits(Config.WebForms settings, LongSupplier clock) {
    this.settings = settings;
    this.posts = new Windows(MINUTE_MS, clock);
    this.newForms = new Windows(HOUR_MS, clock);
    this.sends = new Windows(MINUTE_MS, clock);
  }

  /** One more page sent by the form session {@code token}. */
  boolean post(String token) {
    return posts.add(token) <= settings.postsPerForm();
  }

  /** One more form session started on {@code surveyId} from {@code address}. */
  boolean newForm(String surveyId, String address) {
    return newForms.add(surveyId + " " + address) <= settings.newFormsPerHour();
  }

  /** One more completed form sent to {@code surveyId}. */
  boolean send(String surveyId) {
    return sends.add(surveyId) <= settings.sendsPerMinute();
  }

  /** Counts per key in fixed windows; stale windows are pruned once many keys are held. */
  private static final class Windows {
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

    int add(String key) {
      long now = clock.getAsLong();
      if (windows.size() > PRUNE_ABOVE) {
        windows.values().removeIf(w -> now - w.start() >= length);
      }
      return windows.compute(key, (k, w) -> w == null || now - w.start() >= length ? new Window(now, 1)
          : new Window(w.start(), w.count() + 1)).count();
    }
  }
}
