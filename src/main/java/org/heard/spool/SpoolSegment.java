package org.heard.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One spool file, {@code spool-<n>.log}: how many records it holds and how many the database has. */
final class SpoolSegment {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolSegment.class);
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

  static void deleteQuietly(Path segment) {
    quietly(() -> Files.deleteIfExists(segment), "delete a settled spool segment");
  }

  static void closeQuietly(FileChannel channel) {
    quietly(channel::close, "close a spool segment");
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void quietly(IoAction action, String what) {
    try {
      action.run();
    } catch (IOException e) {
      LOG.warn("could not {}: {}", what, e.getClass().getSimpleName());
    }
  }

  /** The segment files in {@code dir}, oldest first (links to anything but a regular file are not ours). */
  static List<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> listing = Files.list(dir)) {
      return listing.filter(p -> p.getFileName().toString().matches("spool-\\d+\\.log") && Files.isRegularFile(p))
          .sorted(Comparator.comparingLong(SpoolSegment::numberOf)).toList();
    }
  }
}
