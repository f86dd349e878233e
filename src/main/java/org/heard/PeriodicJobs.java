package org.heard;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.heard.store.JobLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heard's periodic jobs: each one named, on its own timer, its failure logged by name (never its
 * message, which may hold personal data), and all cancelled together at stop.
 */
final class PeriodicJobs {
  private static final Logger LOG = LoggerFactory.getLogger(PeriodicJobs.class);

  private final Vertx vertx;
  private final List<Long> timers = new ArrayList<>();

  PeriodicJobs(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code job} every {@code period}, the first time after {@code delay}. */
  synchronized PeriodicJobs every(Duration period, Duration delay, String what, Supplier<Future<?>> job) {
    timers.add(vertx.setPeriodic(Math.max(1, delay.toMillis()), period.toMillis(), id -> {
      Future<?> run;
      try {
        run = job.get();
      } catch (RuntimeException e) {
        run = Future.failedFuture(e);
      }
      run.onFailure(error -> LOG.warn("{} did not finish, will retry: {}", what, error.getClass().getName()));
    }));
    return this;
  }

  PeriodicJobs every(Duration period, String what, Supplier<Future<?>> job) {
    return every(period, period, what, job);
  }

  /**
   * Runs {@code job} every {@code period} on one of the instances sharing the database at a time: the
   * one holding lease {@code lease} ({@link JobLeases}), which lasts one and a half periods plus 10 s,
   * so it passes to another instance soon after its holder stops renewing it.
   */
  PeriodicJobs everyOnOne(JobLeases leases, String lease, Duration period, String what, Supplier<Future<?>> job) {
    Duration length = period.multipliedBy(3).dividedBy(2).plusSeconds(10);
    return every(period, what, () -> leases.hold(lease, length)
        .compose(held -> held ? job.get().mapEmpty() : Future.succeededFuture()));
  }

  synchronized void cancelAll() {
    timers.forEach(vertx::cancelTimer);
    timers.clear();
  }
}
