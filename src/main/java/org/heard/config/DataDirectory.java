package org.heard.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The data directory: checked writable at start-up, and home of the generated secret key when
 * {@code HEARD_SECRET} is not set. Runs before the event loop starts, so plain file I/O is fine.
 */
public final class DataDirectory {
  static final String SECRET_FILE = "secret.key";
  static final String UPLOADS = "uploads";

  private final Path path;

  private DataDirectory(Path path) {
    this.path = path;
  }

  /** Creates the directory if needed and proves it can be written, or fails naming the path. */
  public static DataDirectory open(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute);
      Path probe = Files.createTempFile(absolute, ".write-check", ".tmp");
      Files.delete(probe);
      DataDirectory directory = new DataDirectory(absolute);
      directory.clearLeftoverUploads();
      directory.restrict();
      return directory;
    } catch (IOException | SecurityException e) {
      throw new ConfigException(List.of("data directory " + absolute + " cannot be written or made owner-only ("
          + describe(e) + "); set " + Config.DATA_DIR + " to a writable directory"));
    }
  }

  public Path path() {
    return path;
  }

  /** Where staff uploads (CSV imports) are held while a request reads them; each is deleted at its end. */
  public Path uploads() {
    return path.resolve(UPLOADS);
  }

  /**
   * Uploads left by a crash mid-request (residents' answers, typed up) are deleted at start-up: no
   * request is under way then, and what was imported is in the store.
   */
  private void clearLeftoverUploads() throws IOException {
    Path uploads = uploads();
    if (!Files.isDirectory(uploads, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> leftovers = Files.list(uploads)) {
      for (Path leftover : leftovers.toList()) {
        if (Files.isRegularFile(leftover, LinkOption.NOFOLLOW_LINKS)) {
          Files.delete(leftover);
        }
      }
    }
  }

  /** Owner-only: what Heard writes here (the store, the spool, uploads, the key) is for Heard's user alone. */
  public static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

  /**
   * Makes the directory and everything in it owner-only (directories 0700, files 0600), so no other
   * local user can read or change the data: run at start-up and every few minutes, as the store and
   * the spool make new files. Does nothing on a file system without POSIX permissions. Blocking.
   */
  public void restrict() throws IOException {
    if (!Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class)) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      all.forEach(p -> {
        try {
          Files.setPosixFilePermissions(p, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? DIRECTORY_MODE : FILE_MODE);
        } catch (IOException | UnsupportedOperationException e) {
          // A file removed meanwhile (a compacted spool segment), or one that is not ours: the directory guards it.
        }
      });
    }
  }

  public Path resolve(String name) {
    return path.resolve(name);
  }

  /**
   * The key for pseudonymising hashes: the configured one, else the one kept in the data
   * directory, else a new random one written there (readable by the owner only).
   */
  public String secret(Optional<String> configured) {
    if (configured.isPresent()) {
      return configured.get();
    }
    Path file = path.resolve(SECRET_FILE);
    try {
      if (Files.exists(file)) {
        String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (kept.length() < Config.MIN_SECRET_LENGTH) {
          throw new ConfigException(List.of("secret key file " + file + " is too short; restore it from backup"));
        }
        return kept;
      }
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      Files.writeString(file, generated + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE, StandardOpenOption.SYNC);
      restrictToOwner(file);
      return generated;
    } catch (IOException e) {
      throw new ConfigException(List.of("secret key file " + file + " cannot be read or written (" + describe(e) + ")"));
    }
  }

  private static void restrictToOwner(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the directory's ACL applies.
    }
  }

  private static String describe(Exception e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
