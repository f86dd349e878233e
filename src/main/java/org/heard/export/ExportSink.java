package org.heard.export;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Where an export's bytes go, with back-pressure: the HTTP response (a download now) or the
 * database in parts (an export prepared in the background, {@link StoredExports}).
 */
interface ExportSink {
  void write(Buffer data);

  boolean writeQueueFull();

  void drainHandler(Handler<Void> handler);

  /** The export is complete: everything written is flushed. */
  Future<Void> end();

  /** The export broke part way: what was written must not pass for a whole export. */
  void abandon();

  void exceptionHandler(Handler<Throwable> handler);

  static ExportSink of(HttpServerResponse out) {
    out.setChunked(true);
    return new ExportSink() {
      @Override
      public void write(Buffer data) {
        out.write(data);
      }

      @Override
      public boolean writeQueueFull() {
        return out.writeQueueFull();
      }

      @Override
      public void drainHandler(Handler<Void> handler) {
        out.drainHandler(handler);
      }

      @Override
      public Future<Void> end() {
        return out.end();
      }

      @Override
      public void abandon() {
        // Reset, so the client sees a broken download rather than a short file.
        out.reset();
      }

      @Override
      public void exceptionHandler(Handler<Throwable> handler) {
        out.exceptionHandler(handler);
      }
    };
  }
}
