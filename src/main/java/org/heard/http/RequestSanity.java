package org.heard.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import org.heard.error.HeardException;

/**
 * Refuses requests that are broken before any handler reads them: a query string that does not
 * decode (Vert.x would otherwise throw while reading the body, leaving the request unanswered) and
 * a Transfer-Encoding other than plain chunked (RFC 9112: the server must then answer 400).
 */
final class RequestSanity implements Handler<RoutingContext> {
  @Override
  public void handle(RoutingContext ctx) {
    String transferEncoding = ctx.request().getHeader("Transfer-Encoding");
    if (transferEncoding != null && !transferEncoding.trim().toLowerCase(Locale.ROOT).equals("chunked")) {
      ctx.response().putHeader("Connection", "close");
      ctx.fail(new HeardException.BadRequest("bad-transfer-encoding",
          "Transfer-Encoding must be 'chunked' or absent."));
      return;
    }
    try {
      ctx.request().params();
    } catch (IllegalArgumentException e) {
      ctx.fail(new HeardException.BadRequest("malformed-query",
          "The query string is not correctly percent-encoded."));
      return;
    }
    ctx.next();
  }
}
