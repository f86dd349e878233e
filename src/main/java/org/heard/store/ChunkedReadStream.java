package org.heard.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A read stream over a collection read one small query at a time: chunk 0, 1, 2 ... until
 * {@code chunks} is reached, the next asked for only when the reader has taken the last. On the
 * embedded store every query holds its collection while it collects its whole answer, so a million
 * documents read as one query would stop every insert until done and sit in the store's heap; read
 * as chunks of a thousand by a unique index, each query holds it for milliseconds.
 */
public final class ChunkedReadStream<T> implements ReadStream<T> {
  /** Read further chunks while fewer than this many items wait (a chunk holds up to a thousand). */
  static final int READ_AHEAD = 1000;
  /** Chunks read at once: two keep both of a small machine's cores busy, the store's side included. */
  static final int IN_FLIGHT = 2;
  private final Context context;
  private final LongFunction<Future<List<T>>> chunk;
  private final Future<Long> chunks;
  private final ArrayDeque<T> ready = new ArrayDeque<>();
  private long nextChunk;
  /** Chunks being read, in chunk order. */
  private final ArrayDeque<Future<List<T>>> inFlight = new ArrayDeque<>();
  private boolean waitingForSize;
  private boolean ended;
  private long demand = Long.MAX_VALUE;
  private Handler<T> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  /** {@code chunk} reads chunk {@code i} of {@code chunks} (an empty list is fine: gaps are skipped). */
  public ChunkedReadStream(Vertx vertx, Future<Long> chunks, LongFunction<Future<List<T>>> chunk) {
    this.context = vertx.getOrCreateContext();
    this.chunks = chunks;
    this.chunk = chunk;
  }

  @Override
  public ChunkedReadStream<T> handler(Handler<T> handler) {
    this.handler = handler;
    if (handler != null) {
      context.runOnContext(v -> emit());
    }
    return this;
  }

  @Override
  public ChunkedReadStream<T> pause() {
    demand = 0;
    return this;
  }

  @Override
  public ChunkedReadStream<T> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ChunkedReadStream<T> fetch(long amount) {
    demand = amount == Long.MAX_VALUE || demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    context.runOnContext(v -> emit());
    return this;
  }

  @Override
  public ChunkedReadStream<T> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public ChunkedReadStream<T> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  /**
   * Runs on the stream's context only: hands out what is ready while there is demand, in chunk order,
   * and keeps up to {@link #IN_FLIGHT} chunks being read ahead (while fewer than {@link #READ_AHEAD}
   * wait), so the store reads the next chunks while the reader works through this one.
   */
  private void emit() {
    while (true) {
      while (!ended && handler != null && demand > 0 && !ready.isEmpty()) {
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(ready.poll());
      }
      if (ended || handler == null) {
        return;
      }
      Future<List<T>> head = inFlight.peek();
      if (head == null || !head.isComplete()) {
        break;
      }
      inFlight.poll();
      if (head.failed()) {
        fail(head.cause());
        return;
      }
      ready.addAll(head.result());
    }
    if (!chunks.isComplete()) {
      if (!waitingForSize) {
        waitingForSize = true;
        chunks.onComplete(known -> context.runOnContext(v -> emit()));
      }
      return;
    }
    if (chunks.failed()) {
      fail(chunks.cause());
      return;
    }
    while (nextChunk < chunks.result() && inFlight.size() < IN_FLIGHT && ready.size() < READ_AHEAD) {
      Future<List<T>> read = chunk.apply(nextChunk++);
      inFlight.add(read);
      read.onComplete(done -> context.runOnContext(v -> emit()));
    }
    if (nextChunk >= chunks.result() && inFlight.isEmpty() && ready.isEmpty()) {
      ended = true;
      if (endHandler != null) {
        endHandler.handle(null);
      }
    }
  }

  private void fail(Throwable cause) {
    ended = true;
    if (exceptionHandler != null) {
      exceptionHandler.handle(cause);
    }
  }
}
