package org.heard.http;

import io.vertx.ext.web.RoutingContext;

/**
 * Whether a request reached Heard over HTTPS: the public address says so, or a trusted proxy did
 * ({@code X-Forwarded-Proto: https}, read by Vert.x Web's forwarded-header support only for
 * trusted proxies). Strict-Transport-Security and secure cookies follow it.
 */
public final class Https {
  private Https() {
  }

  public static boolean of(RoutingContext ctx, boolean configured) {
    return configured || "https".equalsIgnoreCase(ctx.request().scheme());
  }
}
