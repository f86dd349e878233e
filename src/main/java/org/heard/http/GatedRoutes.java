package org.heard.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/**
 * Mounts staff routes: each one behind the gate for its kind (session for pages, bearer token for
 * the API), then its body handler (JSON only for the API, a bounded form or upload for pages, and
 * the session's CSRF token on every state-changing page request), then its handler.
 */
public final class GatedRoutes {
  /** Staff forms are short: a paper form's answers, an account, a correction. */
  public static final long STAFF_FORM_BYTES = HttpVerticle.MAX_FORM_BYTES;
  /** Room for the multipart framing around an upload's file. */
  private static final long MULTIPART_OVERHEAD = 64 * 1024;

  private GatedRoutes() {
  }

  public static void mount(Router router, StaffGate gate, List<StaffRoute> routes, String uploadsDirectory) {
    for (StaffRoute route : routes) {
      switch (route.kind()) {
        case API -> {
          router.route(route.method(), route.path()).handler(ctx -> gate.api(ctx, route.roles()));
          if (route.method() == HttpMethod.POST) {
            router.route(route.method(), route.path()).handler(MediaTypes::requireJson);
            router.route(route.method(), route.path()).handler(BodyHandler.create(false).setBodyLimit(STAFF_FORM_BYTES))
                .handler(route.handler());
          } else {
            router.route(route.method(), route.path()).handler(route.handler());
          }
        }
        case PAGE, UPLOAD -> {
          router.route(route.method(), route.path()).handler(ctx -> gate.page(ctx, route.roles()));
          if (route.method() == HttpMethod.GET) {
            router.route(route.method(), route.path()).handler(route.handler());
          } else {
            BodyHandler body = route.kind() == StaffRoute.Kind.UPLOAD
                ? BodyHandler.create(uploadsDirectory).setBodyLimit(route.bodyLimit() + MULTIPART_OVERHEAD)
                    .setDeleteUploadedFilesOnEnd(true)
                : BodyHandler.create(false).setBodyLimit(STAFF_FORM_BYTES);
            router.route(route.method(), route.path()).handler(body).handler(StaffGate::requireCsrf)
                .handler(route.handler());
          }
        }
      }
    }
  }
}
