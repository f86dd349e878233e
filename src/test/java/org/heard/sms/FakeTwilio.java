package org.heard.sms;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for Twilio's Messages REST API (the one outside boundary): it takes {@code POST
 * .../Messages.json} and lists what it took on {@code GET .../Messages.json?To=}, as Twilio does. A
 * script of statuses makes the next POSTs fail; {@link #silence} makes it take a message and never answer.
 */
public final class FakeTwilio implements AutoCloseable {
  /** One message POSTed: when, to whom, the text, and the Authorization header. */
  public record Sent(long atMillis, String path, String authorization, String to, String body, String form) {
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Sent> posted = Collections.synchronizedList(new ArrayList<>());
  private final List<JsonObject> accepted = Collections.synchronizedList(new ArrayList<>());
  private final Deque<Integer> script = new ConcurrentLinkedDeque<>();
  private final List<String> lookups = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean silent;

  public FakeTwilio() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(buffer -> {
      if (request.method().name().equals("GET")) {
        String to = request.getParam("To");
        lookups.add(to);
        JsonArray messages = new JsonArray();
        synchronized (accepted) {
          accepted.stream().filter(m -> m.getString("to").equals(to)).forEach(messages::add);
        }
        request.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("messages", messages).encode());
        return;
      }
      String form = buffer.toString(StandardCharsets.UTF_8);
      Map<String, String> fields = decode(form);
      posted.add(new Sent(System.currentTimeMillis(), request.path(), request.getHeader("Authorization"),
          fields.get("To"), fields.get("Body"), form));
      Integer status = script.poll();
      if (status == null || status == 201) {
        String sid = "SM" + String.format("%032d", accepted.size() + 1);
        accepted.add(new JsonObject().put("sid", sid).put("to", fields.get("To")).put("body", fields.get("Body"))
            .put("direction", "outbound-api").put("status", "queued"));
        if (silent) {
          return;  // taken, but the answer never comes (a crash or a cut connection on the way back)
        }
        request.response().setStatusCode(201).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("sid", sid).put("status", "queued").encode());
      } else {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
            .putHeader("Retry-After", status == 429 ? "0" : null)
            .end(new JsonObject().put("code", status == 400 ? 21211 : 20500)
                .put("message", "The 'To' number " + fields.get("To") + " is not valid.").encode());
      }
    });
  }

  private static Map<String, String> decode(String form) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : form.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        fields.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  /** The next POSTs answer these statuses, in order (then 201). */
  public void script(Integer... statuses) {
    script.addAll(List.of(statuses));
  }

  /** From now on a POST is taken but never answered. */
  public void silence(boolean silent) {
    this.silent = silent;
  }

  public List<Sent> posted() {
    synchronized (posted) {
      return List.copyOf(posted);
    }
  }

  public List<Sent> postedTo(String number) {
    return posted().stream().filter(s -> number.equals(s.to())).toList();
  }

  /** The numbers asked about on the message list (before a possibly repeated send). */
  public List<String> lookups() {
    synchronized (lookups) {
      return List.copyOf(lookups);
    }
  }

  public void reset() {
    posted.clear();
    accepted.clear();
    script.clear();
    lookups.clear();
    silent = false;
  }

  /** Waits until {@code count} messages were POSTed (fails after 30 s). */
  public List<Sent> awaitPosted(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (posted.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    if (posted.size() < count) {
      throw new AssertionError("expected " + count + " messages, the provider got " + posted());
    }
    return posted();
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
