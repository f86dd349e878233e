package org.heard.http;

import io.vertx.ext.web.RoutingContext;

/** The address a request came from, as rate limits and throttles count clients. */
public final class ClientAddress {
  private ClientAddress() {
  }

  /** The peer's IP address ({@code unknown} if the connection has none). Behind a proxy, the proxy's. */
  public static String of(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }
}
