package org.heard.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.heard.error.HeardException;

/**
 * Reads a URL-encoded form into the request's form attributes, like a body handler, except that a
 * form longer than {@code keep} bytes is not refused unread: its first {@code keep} bytes are
 * decoded (a field cut short keeps its beginning) and the rest is read and dropped. A person who
 * pasted far too much gets their page back with their words and the limit named (the validator's
 * too-long error), instead of a bare error page. Past {@code drainAtMost} bytes the request is
 * refused and the connection closed.
 */
public final class KeptFormBody implements Handler<RoutingContext> {
  private static final int MAX_FIELDS = 1024;

  private final int keep;
  private final long drainAtMost;

  public KeptFormBody(int keep, long drainAtMost) {
    this.keep = keep;
    this.drainAtMost = drainAtMost;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Buffer kept = Buffer.buffer();
    long[] received = {0};
    boolean[] refused = {false};
    request.handler(chunk -> {
      received[0] += chunk.length();
      if (kept.length() < keep) {
        kept.appendBuffer(chunk, 0, Math.min(chunk.length(), keep - kept.length()));
      }
      if (received[0] > drainAtMost && !refused[0]) {
        refused[0] = true;
        ctx.fail(new HeardException.PayloadTooLarge("The form is far larger than any answer may be."));
        request.connection().close();
      }
    });
    request.exceptionHandler(error -> {
      if (!refused[0] && !ctx.response().ended()) {
        refused[0] = true;
        ctx.fail(error);
      }
    });
    request.endHandler(end -> {
      if (refused[0]) {
        return;
      }
      boolean cut = received[0] > keep;
      if (isUrlEncoded(request.getHeader("Content-Type"))) {
        try {
          decode(request, kept.toString(StandardCharsets.ISO_8859_1), cut);
        } catch (IllegalArgumentException malformed) {
          ctx.fail(new HeardException.BadRequest("bad-form",
              "The form could not be read: it has a broken %-escape (form encoding)."));
          return;
        }
      }
      ctx.next();
    });
    request.resume();
  }

  private static boolean isUrlEncoded(String contentType) {
    return contentType != null && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded");
  }

  private static void decode(HttpServerRequest request, String body, boolean cut) {
    // A cut may fall inside an escape ("%C5%9") or a character's bytes: drop the broken end.
    String whole = cut ? body.replaceFirst("%[0-9A-Fa-f]?$", "") : body;
    Map<String, List<String>> fields = new QueryStringDecoder(whole, StandardCharsets.UTF_8, false, MAX_FIELDS)
        .parameters();
    fields.forEach((name, values) -> values.forEach(value ->
        request.formAttributes().add(name, cut ? value.replaceFirst("\uFFFD+$", "") : value)));
  }
}
