package org.heard.store;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.h2.mvstore.MVStore;
import org.heard.config.DataDirectory;

/**
 * Backups of the embedded store, and putting one back. A backup directory holds the store file as H2
 * copies it while in use ({@code heard-store.zip}: H2 stops reusing space in the file while it copies,
 * so the copy holds complete commits only and opens at the last of them, a state between two
 * operations), the spool's files, copied first (so a response acknowledged before the backup began is
 * in the store's copy or in the spool's), and {@code manifest.json} with what the copy holds, counted
 * by opening it. Everything in it is owner-only, like the data directory: it holds personal data.
 */
public final class StoreBackup {
  static final String ARCHIVE = "heard-store.zip";
  static final String MANIFEST = "manifest.json";
  static final String SPOOL = "spool";
  /** mongo-java-server's H2 layout: a collection's documents are the map {@code databases.<db>.<collection>}. */
  private static final String DATA_MAPS = "databases.";

  /** What a backup holds: the store's commit version, documents per collection, spool files. */
  public record Contents(long version, Map<String, Long> documents, int spoolFiles) {
    public long total() {
      return documents.values().stream().mapToLong(Long::longValue).sum();
    }

    public JsonObject toJson() {
      JsonObject counts = new JsonObject();
      documents.forEach(counts::put);
      return new JsonObject().put("version", version).put("documents", counts).put("spoolFiles", spoolFiles);
    }

    public static Contents fromJson(JsonObject json) {
      Map<String, Long> documents = new TreeMap<>();
      json.getJsonObject("documents").forEach(e -> documents.put(e.getKey(), ((Number) e.getValue()).longValue()));
      return new Contents(json.getLong("version"), documents, json.getInteger("spoolFiles"));
    }
  }

  private StoreBackup() {
  }

  /**
   * Writes a backup into {@code target} (new or empty) of the store that {@code committed} commits and
   * returns, and of the spool in {@code dataDir}. The store keeps serving meanwhile.
   */
  static Contents write(Supplier<MVStore> committed, Path dataDir, Path target) throws IOException {
    prepareTarget(target);
    int spoolFiles = copySpool(dataDir.resolve(SPOOL), target.resolve(SPOOL));
    MVStore store = committed.get();
    Path part = target.resolve(ARCHIVE + ".part");
    try (OutputStream out = Files.newOutputStream(part); ZipOutputStream zip = new ZipOutputStream(out)) {
      store.getFileStore().backup(zip);
    }
    force(part);
    Files.move(part, target.resolve(ARCHIVE), StandardCopyOption.ATOMIC_MOVE);
    Contents copied = open(target, spoolFiles);
    Path manifest = target.resolve(MANIFEST);
    Files.writeString(manifest, copied.toJson().put("created", Instant.now().toString()).encodePrettily());
    force(manifest);
    restrict(target);
    return copied;
  }

  /** What the backup in {@code backup} holds, checked against its manifest; fails when they differ. */
  public static Contents verify(Path backup) throws IOException {
    Path manifest = backup.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest) || !Files.isRegularFile(backup.resolve(ARCHIVE))) {
      throw new IOException(backup + " is not a Heard backup (no " + MANIFEST + " and " + ARCHIVE + ")");
    }
    Contents recorded;
    try {
      recorded = Contents.fromJson(new JsonObject(Files.readString(manifest)));
    } catch (RuntimeException e) {
      throw new IOException(manifest + " cannot be read: " + e.getMessage(), e);
    }
    Contents found = open(backup, countSpool(backup.resolve(SPOOL)));
    if (!found.equals(recorded)) {
      throw new IOException("the backup in " + backup + " does not hold what its manifest says (found "
          + found.toJson().encode() + ", recorded " + recorded.toJson().encode() + "): it is damaged");
    }
    return found;
  }

  /**
   * Puts the backup in {@code backup} back as the store of {@code dataDir} (Heard stopped): the store
   * file, its version record and the spool's files; what was there moves to
   * {@code before-restore-<time>/}. Returns where that went.
   */
  public static Path restore(Path backup, Path dataDir) throws IOException {
    Contents contents = verify(backup);
    Path aside = dataDir.resolve("before-restore-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
        .withZone(ZoneOffset.UTC).format(Instant.now()));
    Files.createDirectories(aside);
    Path incoming = dataDir.resolve(EmbeddedMongo.STORE_FILE + ".restoring");
    extract(backup.resolve(ARCHIVE), incoming);
    for (String name : new String[] {EmbeddedMongo.STORE_FILE, StoreVersion.FILE, SPOOL}) {
      if (Files.exists(dataDir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
        Files.move(dataDir.resolve(name), aside.resolve(name));
      }
    }
    Files.move(incoming, dataDir.resolve(EmbeddedMongo.STORE_FILE), StandardCopyOption.ATOMIC_MOVE);
    copySpool(backup.resolve(SPOOL), dataDir.resolve(SPOOL));
    new StoreVersion(dataDir).write(contents.version());
    restrict(dataDir);
    return aside;
  }

  /** Opens the store copy in a backup (extracted beside it, then removed) and counts what it holds. */
  private static Contents open(Path backup, int spoolFiles) throws IOException {
    Path copy = backup.resolve(EmbeddedMongo.STORE_FILE + ".check");
    extract(backup.resolve(ARCHIVE), copy);
    try {
      MVStore store = new MVStore.Builder().fileName(copy.toString()).readOnly().open();
      try {
        Map<String, Long> documents = new TreeMap<>();
        for (String name : store.getMapNames()) {
          if (name.startsWith(DATA_MAPS)) {
            String collection = name.substring(DATA_MAPS.length());
            documents.put(collection.substring(collection.indexOf('.') + 1), store.openMap(name).sizeAsLong());
          }
        }
        return new Contents(store.getCurrentVersion(), documents, spoolFiles);
      } finally {
        store.closeImmediately();
      }
    } catch (RuntimeException e) {
      throw new IOException("the store copy in " + backup + " cannot be opened (" + e.getClass().getSimpleName()
          + "): it is damaged", e);
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  private static void extract(Path archive, Path to) throws IOException {
    try (InputStream in = Files.newInputStream(archive); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        if (entry.getName().endsWith(".mv.db")) {
          Files.copy(zip, to, StandardCopyOption.REPLACE_EXISTING);
          force(to);
          return;
        }
      }
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new IOException(archive + " cannot be read (" + e.getMessage() + "): it is damaged", e);
    }
    throw new IOException(archive + " holds no store file: it is damaged");
  }

  private static void prepareTarget(Path target) throws IOException {
    if (Files.exists(target)) {
      try (Stream<Path> entries = Files.list(target)) {
        if (entries.findAny().isPresent()) {
          throw new IOException(target + " is not empty: give a new or empty directory for the backup");
        }
      }
    }
    Files.createDirectories(target);
  }

  /** Copies the spool's files (segments and the rejected log); a segment being appended is copied as it is. */
  private static int copySpool(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return 0;
    }
    Files.createDirectories(to);
    int copied = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(from, "*.log")) {
      for (Path file : files) {
        Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        force(to.resolve(file.getFileName()));
        copied++;
      }
    }
    return copied;
  }

  private static int countSpool(Path spool) throws IOException {
    if (!Files.isDirectory(spool)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(spool)) {
      return (int) files.filter(f -> f.getFileName().toString().endsWith(".log")).count();
    }
  }

  private static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static void restrict(Path directory) throws IOException {
    try (Stream<Path> all = Files.walk(directory)) {
      for (Path path : all.toList()) {
        Files.setPosixFilePermissions(path, Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
            ? DataDirectory.DIRECTORY_MODE : DataDirectory.FILE_MODE);
      }
    } catch (UnsupportedOperationException notPosix) {
      // Not a POSIX file system: its own access rules apply.
    }
  }
}
