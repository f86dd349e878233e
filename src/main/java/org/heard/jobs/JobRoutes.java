package org.heard.jobs;

import static io.vertx.core.http.HttpMethod.GET;
import static org.heard.auth.Role.ANALYST;

import java.util.List;
import org.heard.http.FeatureRoutes;
import org.heard.http.StaffRoute;

/** The progress of background jobs (a recount of the digest counts, so far). */
public final class JobRoutes implements FeatureRoutes {
  private final JobApi api;

  public JobRoutes(JobApi api) {
    this.api = api;
  }

  @Override
  public List<StaffRoute> staffRoutes() {
    return List.of(StaffRoute.api("API_JOB", GET, "/api/v1/jobs/:jobId", api::progress, ANALYST));
  }
}
