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
  /** Read the next chunk while fewer than this many items wait (a chunk holds up to a thousand). */
  static final int READ_AHEAD = 1000;
  private final Context context;
  private final LongFunction<Future<List<T>>> chunk;
  private final Future<Long> chunks;
  private final ArrayDeque<T> ready = new ArrayDeque<>();
  private long nextChunk;
  private boolean reading;
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
   * Runs on the stream's context only: hands out what is ready while there is demand, and keeps one
   * chunk read ahead (while fewer than {@link #READ_AHEAD} wait), so the store reads the next chunk
   * while the reader works through this one.
   */
  private void emit() {
    while (!ended && handler != null && demand > 0 && !ready.isEmpty()) {
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(ready.poll());
    }
    if (ended || handler == null || reading) {
      return;
    }
    if (!chunks.isComplete()) {
      reading = true;
      chunks.onComplete(known -> context.runOnContext(v -> {
        reading = false;
        emit();
      }));
      return;
    }
    if (chunks.failed()) {
      fail(chunks.cause());
      return;
    }
    if (nextChunk >= chunks.result()) {
      if (ready.isEmpty()) {
        ended = true;
        if (endHandler != null) {
          endHandler.handle(null);
        }
      }
      return;
    }
    if (ready.size() >= READ_AHEAD) {
      return;
    }
    reading = true;
    long index = nextChunk++;
    chunk.apply(index).onComplete(read -> context.runOnContext(v -> {
      reading = false;
      if (read.failed()) {
        fail(read.cause());
        return;
      }
      ready.addAll(read.result());
      emit();
    }));
  }

  private void fail(Throwable cause) {
    ended = true;
    if (exceptionHandler != null) {
      exceptionHandler.handle(cause);
    }
  }
}
