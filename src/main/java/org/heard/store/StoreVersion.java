package org.heard.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import org.heard.config.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last version of the embedded store that was committed and synced to disk, kept in a small file
 * beside it. The store may only ever open at that version or later: one that opens earlier was
 * truncated, damaged or replaced by an older copy, and serving from it would silently drop input.
 * The file is replaced atomically and only after the store's own sync, so it never runs ahead of it.
 */
final class StoreVersion {
  static final String FILE = "heard-store.version";
  private static final Logger LOG = LoggerFactory.getLogger(StoreVersion.class);

  private final Path file;
  private final Path next;
  private long written = -1;

  StoreVersion(Path dataDir) {
    this.file = dataDir.resolve(FILE);
    this.next = dataDir.resolve(FILE + ".next");
  }

  Path file() {
    return file;
  }

  /** The recorded version, or empty when none was recorded yet (or the record cannot be read). */
  OptionalLong read() {
    if (!Files.exists(file)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip()));
    } catch (IOException | NumberFormatException e) {
      LOG.warn("{} cannot be read ({}); the embedded store's version is not checked this time", file,
          e.getClass().getSimpleName());
      return OptionalLong.empty();
    }
  }

  /** Like everything in the data directory, the record is for Heard's user only. */
  private static void ownerOnly(Path path) throws IOException {
    try {
      Files.setPosixFilePermissions(path, DataDirectory.FILE_MODE);
    } catch (UnsupportedOperationException notPosix) {
      // Not a POSIX file system: its own access rules apply.
    }
  }

  /** Records {@code version}; a failure (a full disk) only leaves the record behind, which is safe. */
  void write(long version) {
    if (version <= written) {
      return;
    }
    try {
      Files.writeString(next, Long.toString(version), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
      ownerOnly(next);
      try (FileChannel channel = FileChannel.open(next, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      written = version;
    } catch (IOException e) {
      LOG.warn("could not record the embedded store's version in {} ({})", file, e.getClass().getSimpleName());
    }
  }
}
