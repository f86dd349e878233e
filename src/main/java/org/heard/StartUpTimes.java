package org.heard;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** How long each stage of the start-up took, for the one line logged once Heard is ready. */
final class StartUpTimes {
  private final long began = System.nanoTime();
  private final List<String> stages = new ArrayList<>();

  /** Runs {@code work} as stage {@code name}, timed. */
  <T> Future<T> stage(String name, Supplier<Future<T>> work) {
    long start = System.nanoTime();
    return work.get().andThen(done -> {
      synchronized (stages) {
        stages.add(String.format(Locale.ROOT, "%s %.2f s", name, (System.nanoTime() - start) / 1e9));
      }
    });
  }

  @Override
  public String toString() {
    synchronized (stages) {
      return String.format(Locale.ROOT, "%.2f s (%s)", (System.nanoTime() - began) / 1e9, String.join(", ", stages));
    }
  }
}
