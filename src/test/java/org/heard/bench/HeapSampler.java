package org.heard.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The most heap in use while a phase runs, sampled every 20 ms (summing each pool's own peak
 * would overstate it: the pools peak at different moments), and the most still in use just after a
 * collection (the live set). Starts from a collected heap.
 */
final class HeapSampler implements AutoCloseable {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peak;
  private volatile long peakAfterGc;

  HeapSampler() {
    System.gc();
    peak = memory.getHeapMemoryUsage().getUsed();
    thread = new Thread(() -> {
      while (running) {
        peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
        long afterGc = 0;
        for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
          if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
            afterGc += pool.getCollectionUsage().getUsed();
          }
        }
        peakAfterGc = Math.max(peakAfterGc, afterGc);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  long peakMiB() {
    peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
    return peak / (1024 * 1024);
  }

  /** The most heap still in use just after a collection: what the work really keeps alive. */
  long peakAfterGcMiB() {
    return peakAfterGc / (1024 * 1024);
  }

  /** The heap cap of this JVM. */
  static long maxMiB() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / (1024 * 1024);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
