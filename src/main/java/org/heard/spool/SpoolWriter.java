package org.heard.spool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's one writer thread: takes what waits, up to a thousand records at a time, and hands
 * each batch to be written and fsync'd. If the thread cannot go on (an Error), it says so for good:
 * what waits is refused, new records are refused at once, and nothing waits for it for ever.
 */
final class SpoolWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolWriter.class);
  static final int CAPACITY = 50_000;

  private final BlockingQueue<SpoolWrite> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Thread thread;
  private volatile String stopped;

  SpoolWriter(Consumer<List<SpoolWrite>> write, BiConsumer<List<SpoolWrite>, IOException> refuse, BooleanSupplier closed) {
    thread = new Thread(() -> run(write, refuse, closed), "heard-spool-writer");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Queues a record for the writer; false when the queue is full. */
  boolean offer(SpoolWrite write) {
    return queue.offer(write);
  }

  /** Why the writer stopped for good, or null while it runs. */
  String stopped() {
    return stopped;
  }

  void join(long millis) throws InterruptedException {
    thread.join(millis);
  }

  private void run(Consumer<List<SpoolWrite>> write, BiConsumer<List<SpoolWrite>, IOException> refuse,
      BooleanSupplier closed) {
    List<SpoolWrite> batch = new ArrayList<>();
    try {
      while (!closed.getAsBoolean() || !queue.isEmpty()) {
        SpoolWrite first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 999);
        write.accept(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable fatal) {
      stopped = fatal.getClass().getSimpleName();
      LOG.error("the spool's writer stopped ({}): from now on responses are taken only when the database holds "
          + "them durably; restart Heard to write the spool again", stopped);
      queue.drainTo(batch);
      refuse.accept(batch, new IOException("the spool's writer stopped (" + stopped + ")"));
    }
  }
}
