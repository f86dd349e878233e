package org.heard.http;

import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import org.heard.error.ClientText;
import org.heard.error.HeardException;

/** Checks a request's Content-Type before any of its body is read. */
public final class MediaTypes {
  private MediaTypes() {
  }

  /** A handler that refuses anything but JSON before the body is read. */
  public static void requireJson(RoutingContext ctx) {
    if (require(ctx, "application/json", "the response")) {
      ctx.next();
    }
  }

  /**
   * Whether the request's media type is {@code expected}; if not, fails the request with a 415 that
   * says what to send ({@code what} names the body, e.g. "the response").
   */
  public static boolean require(RoutingContext ctx, String expected, String what) {
    String type = ctx.request().getHeader("Content-Type");
    String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (mediaType.equals(expected)) {
      return true;
    }
    ctx.fail(new HeardException.UnsupportedMediaType("Send " + what + " as " + expected
        + (type == null ? " (no Content-Type was given)." : ", not " + ClientText.shorten(type) + ".")));
    return false;
  }
}
