package org.heard.export;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.heard.auth.Role;
import org.heard.auth.StaffUser;
import org.heard.error.HeardException;
import org.heard.response.ResponseStore;
import org.heard.store.BackgroundJobs;
import org.heard.survey.SurveyDefinition;

/**
 * Exports prepared in the background (job {@code export-<id>}) into {@link StoredExports}, for the
 * member of staff who asked to download from any instance once done, within a day.
 */
public final class ExportJobs {
  public static final String JOB_PREFIX = "export-";

  /** Where a prepared export is followed and fetched. */
  public record Started(String id, String job) {
    public String progress() {
      return "/api/v1/jobs/" + job;
    }

    public String download() {
      return "/api/v1/exports/" + id;
    }
  }

  private final Vertx vertx;
  private final ResponseExport export;
  private final StoredExports stored;
  private final BackgroundJobs jobs;
  private final ResponseStore responses;

  public ExportJobs(Vertx vertx, ResponseExport export, StoredExports stored, BackgroundJobs jobs, ResponseStore responses) {
    this.vertx = vertx;
    this.export = export;
    this.stored = stored;
    this.jobs = jobs;
    this.responses = responses;
  }

  /** Starts preparing an export; completes once it is under way. */
  Future<Started> start(StaffUser user, SurveyDefinition survey, ResponseExport.Format format, ResponseExport.Range range,
      Map<String, List<String>> themeIds, Map<String, String> labels, String name, String contentType) {
    String id = UUID.randomUUID().toString().replace("-", "");
    String job = JOB_PREFIX + id;
    return responses.numberedSizes()
        .compose(sizes -> jobs.start(job, user.email(), sizes.getOrDefault(survey.id(), 0L)))
        .compose(run -> stored.create(id, survey.id(), name, contentType, user.accountId()).map(sink -> {
          jobs.follow(vertx, job, run, rows -> export.stream(survey, format, range, themeIds, labels, sink, rows),
              n -> new JsonObject().put("responses", n).put("link", "/staff/exports/" + id)
                  .put("download", "/api/v1/exports/" + id),
              "the export stopped part way; start it again");
          return new Started(id, job);
        }));
  }

  /** Sends a prepared export to the member of staff who asked for it (or an administrator). */
  Future<Void> send(StaffUser user, String id, HttpServerResponse out) {
    return stored.find(id).compose(found -> {
      if (found == null) {
        return Future.failedFuture(new HeardException.NotFound("unknown-export",
            "There is no export '" + id + "': exports are kept for a day after they are made."));
      }
      if (!found.by().equals(user.accountId()) && user.role() != Role.ADMIN) {
        return Future.failedFuture(new HeardException.Forbidden("not-your-export",
            "This export was made for another member of staff: make your own from the survey's digest."));
      }
      if (!found.complete()) {
        return Future.failedFuture(new HeardException.Conflict("export-not-ready",
            "This export is still being prepared: follow it at /api/v1/jobs/" + JOB_PREFIX + id + "."));
      }
      out.putHeader("Content-Type", found.contentType())
          .putHeader("Content-Disposition", "attachment; filename=\"" + found.name() + "\"")
          .putHeader("Content-Length", String.valueOf(found.bytes()))
          .putHeader("Cache-Control", "no-store");
      return sendParts(id, found.parts(), 0, out);
    });
  }

  private Future<Void> sendParts(String id, int parts, int next, HttpServerResponse out) {
    if (next == parts) {
      return out.end();
    }
    return stored.part(id, next).compose(part -> {
      if (part == null) {
        out.reset();
        return Future.failedFuture(new IllegalStateException("part " + next + " of export " + id + " is missing"));
      }
      out.write(part);
      if (!out.writeQueueFull()) {
        return sendParts(id, parts, next + 1, out);
      }
      Promise<Void> drained = Promise.promise();
      out.drainHandler(v -> drained.tryComplete());
      return drained.future().compose(v -> sendParts(id, parts, next + 1, out));
    });
  }
}
