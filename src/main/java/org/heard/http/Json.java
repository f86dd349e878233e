package org.heard.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.heard.error.HeardException;

/** Small helpers for JSON responses. */
public final class Json {
  private Json() {
  }

  /**
   * Parses a request body as JSON, refusing bytes that are not UTF-8 (the JSON parser would
   * otherwise replace them silently and store something the client never sent).
   */
  public static Object decodeStrict(Buffer buffer) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buffer.getBytes())).toString();
      return io.vertx.core.json.Json.decodeValue(text);
    } catch (CharacterCodingException e) {
      throw new HeardException.BadRequest("invalid-utf8",
          "The request body is not valid UTF-8; send JSON encoded as UTF-8.");
    }
  }

  public static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body.encode());
  }
}
