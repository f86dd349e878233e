package org.heard.digest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import org.heard.error.HeardException;
import org.heard.response.ResponseStore;
import org.heard.store.BackgroundJobs;

/**
 * Rebuilding the digest counts from every stored response as a background job ({@link BackgroundJobs}):
 * started by an administrator's request, which is answered at once with where to follow it; its
 * progress is written every second; while it runs, digests are refused with how far it got rather
 * than shown with partial totals.
 */
public final class Recount {
  public static final String JOB = "digest-recount";

  private final Vertx vertx;
  private final DigestCounts counts;
  private final ResponseStore responses;
  private final BackgroundJobs jobs;

  public Recount(Vertx vertx, DigestCounts counts, ResponseStore responses, BackgroundJobs jobs) {
    this.vertx = vertx;
    this.counts = counts;
    this.responses = responses;
    this.jobs = jobs;
  }

  /** Starts a recount (refused while one runs); completes with the run's id once it is under way. */
  public Future<String> start(String startedBy) {
    // At most the numbers handed out: an upper bound of the stored responses.
    return responses.numberedSizes().map(sizes -> sizes.values().stream().mapToLong(Long::longValue).sum())
        .compose(total -> jobs.start(JOB, startedBy, total)).onSuccess(this::run);
  }

  private void run(String run) {
    jobs.follow(vertx, JOB, run, counted -> counts.recount(counted::set).onSuccess(counted::set),
        responses -> new JsonObject().put("responses", responses), "the recount stopped; start it again");
  }

  /** Fails with 503 while a recount runs, saying how far it got; succeeds otherwise. */
  public Future<Void> notRunning() {
    return jobs.running(JOB).compose(running -> {
      if (running == null) {
        return Future.succeededFuture();
      }
      Long total = running.getLong("total");
      Long left = running.getLong("secondsLeft");
      return Future.failedFuture(new HeardException.Unavailable("recount-in-progress", String.format(Locale.ROOT,
          "The digest counts are being rebuilt (%,d%s responses counted%s); the digest shows again once they are "
              + "complete. Follow it at /api/v1/jobs/%s.", running.getLong("done"),
          total == null ? "" : String.format(Locale.ROOT, " of about %,d", total),
          left == null ? "" : ", about " + left + " s left", JOB), null));
    });
  }
}
