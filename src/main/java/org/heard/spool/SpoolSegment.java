package org.heard.spool;

import java.nio.file.Path;

/** One spool file, {@code spool-<n>.log}: how many records it holds and how many the database has. */
final class SpoolSegment {
  final long number;
  final Path file;
  int records;
  int settled;
  long lastSettledMillis;

  SpoolSegment(long number, Path file) {
    this.number = number;
    this.file = file;
  }

  /** The segment number in a file name such as {@code spool-12.log}. */
  static long numberOf(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring("spool-".length(), name.length() - ".log".length()));
  }
}
