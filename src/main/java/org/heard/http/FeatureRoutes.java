package org.heard.http;

import io.vertx.ext.web.Router;
import java.util.List;

/**
 * A feature's part of the HTTP interface. The composition root mounts every feature's routes in one
 * table; the kernel knows none of them.
 */
public interface FeatureRoutes {
  /** Routes that need no staff sign-in (residents' pages, the public API, webhooks, health, sign-in). */
  default void mount(Router router) {
  }

  /** Staff routes, each behind the {@link StaffGate} with the roles it names. */
  default List<StaffRoute> staffRoutes() {
    return List.of();
  }
}
