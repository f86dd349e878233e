package org.heard.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Small helpers for JSON responses. */
final class Json {
  private Json() {
  }

  /**
   * Parses a request body as JSON, refusing bytes that are not UTF-8 (the JSON parser would
   * otherwise replace them silently and store something the client never sent).
   */
  static Object decodeStrict(io.vertx.core.buffer.Buffer buffer) {
    try {
      String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(buffer.getBytes())).toString();
      return io.vertx.core.json.Json.decodeValue(text);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new org.heard.error.HeardException.BadRequest("invalid-utf8",
          "The request body is not valid UTF-8; send JSON encoded as UTF-8.");
    }
  }

  static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body.encode());
  }
}
