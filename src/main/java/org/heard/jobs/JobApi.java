package org.heard.jobs;

import io.vertx.ext.web.RoutingContext;
import org.heard.error.HeardException;
import org.heard.http.Json;
import org.heard.store.BackgroundJobs;

/**
 * {@code GET /api/v1/jobs/{job}}: the latest run of a background job, from whichever instance runs
 * it: state (running, done, failed, or stopped when its instance went away), done, total, rate per
 * second, seconds left, times, and its result or error.
 */
public final class JobApi {
  private final BackgroundJobs jobs;

  public JobApi(BackgroundJobs jobs) {
    this.jobs = jobs;
  }

  public void progress(RoutingContext ctx) {
    String job = ctx.pathParam("jobId");
    jobs.progress(job)
        .onSuccess(view -> {
          if (view == null) {
            ctx.fail(new HeardException.NotFound("unknown-job", "There is no job '" + job + "' (it never ran)."));
          } else {
            Json.send(ctx, 200, view);
          }
        })
        .onFailure(ctx::fail);
  }
}
