package org.heard.http;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A request id for every request: the {@code X-Request-Id} a proxy sent (when well formed), else a
 * new one. It goes back in the response's {@code X-Request-Id}, is the reference on an error page,
 * and rides on the request's own Vert.x context, so every log line the request causes carries it,
 * whichever callback or worker writes it ({@link RequestIdLogs}).
 */
public final class RequestIds implements Handler<RoutingContext> {
  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "heard.requestId";
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._-]{8,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public void handle(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && WELL_FORMED.matcher(given).matches() ? given : newId();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    // Vert.x Web runs each request on a context of its own: what is put here is this request's alone.
    Context context = Vertx.currentContext();
    if (context instanceof ContextInternal internal && internal.isDuplicate()) {
      internal.localContextData().put(KEY, id);
    }
    ctx.next();
  }

  /** The id of the request being handled, or null outside one. */
  public static String of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** The id of the request whose code runs on this thread now, or null. */
  public static String current() {
    Context context = Vertx.currentContext();
    if (context instanceof ContextInternal internal && internal.isDuplicate()) {
      Object id = internal.localContextData().get(KEY);
      return id instanceof String s ? s : null;
    }
    return null;
  }

  private static String newId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
