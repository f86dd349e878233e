package org.heard.jobs;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.heard.error.HeardException;
import org.heard.http.StaffView;
import org.heard.store.BackgroundJobs;

/**
 * {@code /staff/jobs} and {@code /staff/jobs/{job}}: background jobs (recounts, theme builds,
 * imports) and how far each got: done of total, the rate, the time left, and its result or error.
 * A page to reload rather than one that refreshes itself, so nothing moves under a screen reader.
 */
public final class JobPages {
  private final StaffView view;
  private final BackgroundJobs jobs;

  public JobPages(StaffView view, BackgroundJobs jobs) {
    this.view = view;
    this.jobs = jobs;
  }

  public void list(RoutingContext ctx) {
    jobs.list().onSuccess(all -> {
      Map<String, Object> model = view.model(ctx, "Background jobs");
      List<Map<String, Object>> rows = new ArrayList<>();
      all.forEach(job -> rows.add(row(job)));
      model.put("jobs", rows);
      model.put("hasJobs", !rows.isEmpty());
      view.send(ctx, 200, "staff-jobs", model);
    }).onFailure(ctx::fail);
  }

  public void one(RoutingContext ctx) {
    String name = ctx.pathParam("jobId");
    jobs.progress(name).onSuccess(job -> {
      if (job == null) {
        ctx.fail(new HeardException.NotFound("unknown-job", "There is no job '" + name + "' (it never ran)."));
        return;
      }
      Map<String, Object> model = view.model(ctx, "Job " + name);
      model.putAll(row(job));
      model.put("running", "running".equals(job.getString("state")));
      view.send(ctx, 200, "staff-job", model);
    }).onFailure(ctx::fail);
  }

  /** What a page shows of one job's latest run. */
  static Map<String, Object> row(JsonObject job) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("job", job.getString("job"));
    row.put("state", job.getString("state"));
    Long total = job.getLong("total");
    row.put("progress", String.format(Locale.ROOT, "%,d", job.getLong("done", 0L))
        + (total == null ? "" : String.format(Locale.ROOT, " of %,d", total)));
    row.put("rate", String.format(Locale.ROOT, "%,.1f a second", job.getDouble("ratePerSecond", 0.0)));
    Long left = job.getLong("secondsLeft");
    row.put("left", left == null ? "" : left < 120 ? left + " s" : (left / 60) + " min");
    row.put("startedAt", job.getString("startedAt"));
    row.put("finishedAt", job.getString("finishedAt") == null ? "" : job.getString("finishedAt"));
    row.put("error", job.getString("error") == null ? "" : job.getString("error"));
    JsonObject result = job.getJsonObject("result");
    String link = result == null ? null : result.getString("link");
    row.put("link", link == null || !link.startsWith("/staff/") ? "" : link);
    row.put("result", result == null ? "" : summary(result));
    return row;
  }

  private static String summary(JsonObject result) {
    List<String> parts = new ArrayList<>();
    result.forEach(e -> {
      if (!e.getKey().equals("link")) {
        parts.add(e.getKey() + ": " + e.getValue());
      }
    });
    return String.join(", ", parts);
  }
}
