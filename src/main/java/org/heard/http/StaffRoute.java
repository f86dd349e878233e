package org.heard.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;
import org.heard.auth.Role;

/**
 * One staff page or staff API route, with the roles that may use it (administrators may use all).
 * Features declare theirs; {@link GatedRoutes} mounts every one behind the same gate, and the role
 * test walks all of them.
 *
 * @param name a stable name for messages and tests (e.g. {@code DIGEST})
 * @param bodyLimit the largest body an {@link Kind#UPLOAD} accepts; 0 for the default staff form limit
 */
public record StaffRoute(String name, HttpMethod method, String path, Kind kind, Set<Role> roles, long bodyLimit,
                         Handler<RoutingContext> handler) {
  /** A page for people (session cookie, CSRF on POST), an upload page, or a JSON API call (bearer token). */
  public enum Kind { PAGE, UPLOAD, API }

  public StaffRoute {
    roles = Set.copyOf(roles);
  }

  public static StaffRoute page(String name, HttpMethod method, String path, Handler<RoutingContext> handler,
                                Role first, Role... more) {
    return new StaffRoute(name, method, path, Kind.PAGE, EnumSet.of(first, more), 0, handler);
  }

  public static StaffRoute upload(String name, String path, long bodyLimit, Handler<RoutingContext> handler,
                                  Role first, Role... more) {
    return new StaffRoute(name, HttpMethod.POST, path, Kind.UPLOAD, EnumSet.of(first, more), bodyLimit, handler);
  }

  public static StaffRoute api(String name, HttpMethod method, String path, Handler<RoutingContext> handler,
                               Role first, Role... more) {
    return new StaffRoute(name, method, path, Kind.API, EnumSet.of(first, more), 0, handler);
  }

  @Override
  public String toString() {
    return name + " " + method + " " + path;
  }
}
