package org.heard;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.heard.erasure.ErasureSignals;
import org.heard.spool.Spool;
import org.heard.store.JobLeases;
import org.heard.survey.SurveyChanges;

/**
 * The periodic jobs table: what every instance does on a timer, and how often; sweeps and deletions of
 * shared records run on one instance at a time ({@code everyOnOne}, by lease).
 */
final class HeardJobs {
  /** Idle SMS conversations are ended at most this long after their timeout. */
  private static final Duration SMS_SWEEP = Duration.ofMinutes(1);

  private HeardJobs() {
  }

  /** Every periodic job. Those whose failure is expected while the database is away stay quiet. */
  static void schedule(Heard heard, PeriodicJobs jobs) {
    Spool spool = heard.base.spool();
    JobLeases leases = heard.jobLeases;
    long smsSweepMillis = Math.max(1_000, Math.min(SMS_SWEEP.toMillis(), heard.base.config().sms().idleTimeout().toMillis() / 4));
    AtomicLong analysisPending = new AtomicLong();
    AtomicLong analysisFailed = new AtomicLong();
    heard.base.metrics().gauge("heard_spool_backlog", "Acknowledged records the database does not yet hold on disk", spool::backlog);
    heard.base.metrics().gauge("heard_analysis_queue_pending", "Stored responses waiting for text analysis", analysisPending::get);
    heard.base.metrics().gauge("heard_analysis_queue_failed",
        "Text analyses given up after every retry (kept, with the reason)", analysisFailed::get);
    jobs.every(Duration.ofSeconds(1), "the spool drain", () -> heard.backlog.drain().otherwiseEmpty())
        .every(Duration.ofSeconds(5), "the spool compaction", () -> heard.base.vertx().executeBlocking(() -> {
          spool.compact();
          return null;
        }, false).otherwiseEmpty())
        .everyOnOne(leases, "sms-sweep", Duration.ofMillis(smsSweepMillis), "the SMS sweep", heard.sms::sweep)
        .every(Duration.ofSeconds(1), "sending queued SMS", () -> heard.outbound.deliver().otherwiseEmpty())
        .everyOnOne(leases, "draft-deletion", Duration.ofHours(1), "deleting abandoned web form drafts",
            () -> heard.drafts.deleteUntouchedFor(Heard.DRAFT_RETENTION))
        .everyOnOne(leases, "retention-sweep", Duration.ofHours(6), "the retention sweep", heard.erasure::applyRetention)
        .every(ErasureSignals.POLL, "applying erasures made through other instances",
            () -> heard.erasure.applyErasuresElsewhere().otherwiseEmpty())
        .everyOnOne(leases, "erasure-signal-deletion", Duration.ofHours(1), "deleting day-old erasure signals",
            heard.erasureSignals::deleteOld)
        .every(Duration.ofSeconds(5), "taking theme models other instances built", () -> heard.themes.refresh().otherwiseEmpty())
        .every(SurveyChanges.POLL, "taking survey definitions changed through other instances",
            () -> heard.surveyChanges.poll().otherwiseEmpty())
        .everyOnOne(leases, "session-deletion", Duration.ofMinutes(15), "deleting expired staff sessions",
            heard.sessions::deleteExpired)
        .everyOnOne(leases, "export-deletion", Duration.ofMinutes(15), "deleting prepared exports past their day",
            heard.storedExports::deleteExpired)
        .every(Duration.ofSeconds(15), "counting the analysis queue", () -> heard.analysisQueue.counts().onSuccess(counts -> {
          analysisPending.set(counts.getLong("pending"));
          analysisFailed.set(counts.getLong("failed"));
        }).otherwiseEmpty())
        .every(Duration.ofSeconds(1), "writing digest counts", () -> heard.digestCounts.flush().otherwiseEmpty())
        .every(Duration.ofMinutes(5), "keeping the data directory owner-only", () -> heard.base.vertx().executeBlocking(() -> {
          heard.base.dataDirectory().restrict();
          return null;
        }, false))
        .every(Duration.ofSeconds(5), Duration.ZERO, "measuring free disk space", () -> heard.base.vertx().executeBlocking(() -> {
          heard.disk.measure();
          return null;
        }, false));
    if (heard.base.config().mongoUri().isPresent()) {
      // Other instances may share this database; the embedded store has this instance only (and a
      // full scan of responses every half minute would be its cost).
      jobs.every(Duration.ofSeconds(30), "reading the keys other instances stored",
          () -> heard.responses.readRecentKeys().otherwiseEmpty());
    }
  }
}
