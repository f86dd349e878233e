package org.heard.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 description of the public and staff JSON APIs
 * ({@code src/main/resources/openapi.json}, kept by hand beside the routes; {@code api/OpenApiTest}
 * fails when a route is missing from it or an answer does not fit it). Read once, at start-up.
 */
public final class OpenApiDocument {
  static final String RESOURCE = "/openapi.json";
  private final Buffer document;

  public OpenApiDocument() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the jar");
      }
      document = Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void serve(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "public, max-age=3600").end(document);
  }
}
