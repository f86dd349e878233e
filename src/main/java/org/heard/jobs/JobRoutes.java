package org.heard.jobs;

import static io.vertx.core.http.HttpMethod.GET;
import static org.heard.auth.Role.ANALYST;
import static org.heard.auth.Role.OUTREACH;

import java.util.List;
import org.heard.auth.Role;
import org.heard.http.FeatureRoutes;
import org.heard.http.StaffRoute;
import org.heard.http.StaffSection;

/** The progress of background jobs: recounts of the digest counts, theme builds, paper imports. */
public final class JobRoutes implements FeatureRoutes {
  /** The templates this feature's pages render (in src/main/resources/templates). */
  public static final List<String> TEMPLATES = List.of("staff-jobs", "staff-job");
  public static final StaffSection SECTION = new StaffSection("/staff/jobs", "Background jobs",
      "recounts, theme builds and imports, and how far each got", List.of(Role.OUTREACH, Role.ANALYST, Role.ADMIN));

  private final JobApi api;
  private final JobPages pages;

  public JobRoutes(JobApi api, JobPages pages) {
    this.api = api;
    this.pages = pages;
  }

  @Override
  public List<StaffRoute> staffRoutes() {
    // Outreach staff follow their imports; analysts and administrators everything.
    return List.of(
        StaffRoute.api("API_JOB", GET, "/api/v1/jobs/:jobId", api::progress, ANALYST),
        StaffRoute.page("JOBS", GET, "/staff/jobs", pages::list, OUTREACH, ANALYST),
        StaffRoute.page("JOB", GET, "/staff/jobs/:jobId", pages::one, OUTREACH, ANALYST));
  }
}
