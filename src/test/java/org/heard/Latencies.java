package org.heard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles of measured times, for the tests and benchmarks that report them. */
public final class Latencies {
  private Latencies() {
  }

  /** The {@code percent}th percentile (nearest rank) of {@code times}, in their own unit. */
  public static double percentile(List<Long> times, int percent) {
    List<Long> sorted = new ArrayList<>(times);
    Collections.sort(sorted);
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * percent / 100.0) - 1)));
  }
}
