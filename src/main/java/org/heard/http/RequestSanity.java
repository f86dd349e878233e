package org.heard.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.regex.Pattern;
import org.heard.error.HeardException;

/**
 * Refuses requests that are broken before any handler reads them: a query string that does not
 * decode (Vert.x would otherwise throw while reading the body, leaving the request unanswered), a
 * Transfer-Encoding other than plain chunked (RFC 9112: the server must then answer 400), and a path
 * or query value holding control characters (CR and LF would otherwise reach a header, such as a
 * redirect's Location, or a log line). Form bodies are checked where they are read: a text answer
 * may hold line breaks.
 */
public final class RequestSanity implements Handler<RoutingContext> {
  /** A percent-encoded C0 control character or DEL in a path (Vert.x decodes path segments later). */
  private static final Pattern ENCODED_CONTROL = Pattern.compile("%(?:[01][0-9A-Fa-f]|7[Ff])");

  @Override
  public void handle(RoutingContext ctx) {
    String transferEncoding = ctx.request().getHeader("Transfer-Encoding");
    if (transferEncoding != null && !transferEncoding.trim().toLowerCase(Locale.ROOT).equals("chunked")) {
      ctx.response().putHeader("Connection", "close");
      ctx.fail(new HeardException.BadRequest("bad-transfer-encoding",
          "Transfer-Encoding must be 'chunked' or absent."));
      return;
    }
    MultiMap params;
    try {
      params = ctx.request().params();
    } catch (IllegalArgumentException e) {
      ctx.fail(new HeardException.BadRequest("malformed-query",
          "The query string is not correctly percent-encoded."));
      return;
    }
    if (ENCODED_CONTROL.matcher(ctx.request().path()).find() || params.entries().stream()
        .anyMatch(p -> hasControlCharacters(p.getKey()) || hasControlCharacters(p.getValue()))) {
      ctx.fail(new HeardException.BadRequest("control-characters",
          "The address holds control characters (such as a line break), which no Heard address or value takes."));
      return;
    }
    ctx.next();
  }

  /** Whether {@code text} holds a C0 control character or DEL (tab included: no address needs one). */
  public static boolean hasControlCharacters(String text) {
    return text != null && text.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }
}
