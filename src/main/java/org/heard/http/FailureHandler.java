package org.heard.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.heard.error.HeardException;
import org.heard.store.StoreErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP responses: every {@link HeardException} kind and every
 * status Vert.x Web raises by itself (404, 405, 413, ...) becomes a problem+json response.
 */
public final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  /** Renders a problem as an HTML page for people (the API always gets problem+json). */
  public interface HtmlRenderer {
    String render(RoutingContext ctx, Problem problem);
  }

  private final HtmlRenderer html;

  public FailureHandler(HtmlRenderer html) {
    this.html = html;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.failure() instanceof HttpClosedException || ctx.response().closed()) {
      return;  // the client went away mid-request: there is nobody to answer
    }
    Problem problem = toProblem(ctx.failure(), ctx.statusCode());
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    retryAfter(ctx, ctx.failure());
    send(ctx, problem);
  }

  /** For statuses the router raises itself (no route, wrong method). */
  void sendStatus(RoutingContext ctx, int status) {
    send(ctx, toProblem(null, status));
  }

  void send(RoutingContext ctx, Problem problem) {
    if (html != null && wantsHtml(ctx)) {
      ctx.response().setStatusCode(problem.status())
          .putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Cache-Control", "no-store")
          .end(html.render(ctx, problem));
      return;
    }
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", Problem.CONTENT_TYPE)
        .putHeader("Cache-Control", "no-store");
    if (problem.status() == 401 && ctx.normalizedPath().startsWith("/api/")) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"heard\"");
    }
    if (problem.status() == 405) {
      ctx.response().putHeader("Allow", "GET, POST");
    }
    ctx.response().end(problem.toJson(safePath(ctx)).encode());
  }

  /** Tells a client refused for going too fast when it may try again (pages and the API alike). */
  public static void retryAfter(RoutingContext ctx, Throwable failure) {
    if (failure instanceof HeardException.TooManyRequests tooMany && !ctx.response().headWritten()) {
      ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, tooMany.retryAfterSeconds())));
    }
  }

  static Problem toProblem(Throwable failure, int status) {
    if (failure instanceof HeardException heard) {
      return new Problem(statusOf(heard), heard.type(), titleOf(heard), heard.getMessage(), heard.fieldErrors());
    }
    if (StoreErrors.isDriverUnreachable(failure)) {
      return new Problem(503, "store-unavailable", "Service unavailable",
          "The database cannot be reached right now. Nothing was changed; please try again shortly.", List.of());
    }
    if (failure instanceof DecodeException) {
      return new Problem(400, "malformed-json", "Malformed JSON",
          "The request body is not valid JSON (check quotes, commas and the UTF-8 encoding).", List.of());
    }
    if (failure instanceof HttpException http) {
      status = http.getStatusCode();
    }
    return switch (status) {
      case 400 -> new Problem(400, "bad-request", "Bad request", "The request could not be read.", List.of());
      case 404 -> new Problem(404, "not-found", "Not found", "There is nothing at this address.", List.of());
      case 405 -> new Problem(405, "method-not-allowed", "Method not allowed",
          "This address does not accept that HTTP method.", List.of());
      case 413 -> new Problem(413, "payload-too-large", "Request too large",
          "The request body is larger than this endpoint accepts (see the README for limits).", List.of());
      case 415 -> new Problem(415, "unsupported-media-type", "Unsupported media type",
          "This endpoint does not accept that Content-Type.", List.of());
      default -> unexpected(failure, status);
    };
  }

  private static Problem unexpected(Throwable failure, int status) {
    if (status >= 400 && status < 500) {
      String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
      return new Problem(status, "http-" + status, reason, reason + ".", List.of());
    }
    // The request's id: the same reference is on the error page, in the response header and on every log line.
    String reference = RequestIds.current() == null ? UUID.randomUUID().toString() : RequestIds.current();
    // The exception class and where it happened, never its message: messages may echo request content.
    LOG.error("unexpected failure, reference {}: {}", reference, failure == null ? "status " + status
        : failure.getClass().getName() + " at " + Arrays.stream(failure.getStackTrace()).limit(8)
            .map(StackTraceElement::toString).collect(Collectors.joining(" < ")));
    return new Problem(500, "internal-error", "Internal error",
        "Something went wrong on our side (reference " + reference + ").", List.of());
  }

  /** The HTTP status of each kind of failure: the only place the domain's errors meet HTTP. */
  private static final Map<Class<? extends HeardException>, Integer> STATUS = Map.of(
      HeardException.BadRequest.class, 400,
      HeardException.Unauthorized.class, 401,
      HeardException.Forbidden.class, 403,
      HeardException.NotFound.class, 404,
      HeardException.Conflict.class, 409,
      HeardException.PayloadTooLarge.class, 413,
      HeardException.UnsupportedMediaType.class, 415,
      HeardException.Invalid.class, 422,
      HeardException.TooManyRequests.class, 429,
      HeardException.Unavailable.class, 503);

  private static int statusOf(HeardException e) {
    return STATUS.get(e.getClass());
  }

  private static String titleOf(HeardException e) {
    if (e instanceof HeardException.Invalid) {
      return "Invalid answers";
    }
    if (e instanceof HeardException.Unavailable) {
      return "Service unavailable";
    }
    return HttpResponseStatus.valueOf(statusOf(e)).reasonPhrase();
  }

  private static boolean wantsHtml(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    return !ctx.normalizedPath().startsWith("/api/") && accept != null && accept.contains("text/html");
  }

  private static String safePath(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    return path.length() <= 200 ? path : path.substring(0, 200);
  }
}
