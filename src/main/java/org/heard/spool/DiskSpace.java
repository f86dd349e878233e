package org.heard.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Room left on the data directory's disk, measured every few seconds off the event loop for {@code /ready}. */
public final class DiskSpace {
  private final Path dir;
  private volatile long usableBytes = -1;

  public DiskSpace(Path dir) {
    this.dir = dir;
  }

  /** Measures now. Blocking (a file-system call): run it on a worker. */
  public void measure() {
    try {
      usableBytes = Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      usableBytes = -1;
    }
  }

  /** The room left at the last measure, or -1 when unknown. */
  public long usableBytes() {
    return usableBytes;
  }
}
