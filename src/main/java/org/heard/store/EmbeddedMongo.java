package org.heard.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.h2.mvstore.MVStore;
import org.heard.config.Config;
import org.heard.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default store: an in-process MongoDB wire-protocol server (mongo-java-server) on a
 * loopback port, keeping its data in one H2 MVStore file under the data directory. The real
 * MongoDB driver talks to it over TCP, exactly as it would to a MongoDB server; the port serves only
 * connections that give this process's key ({@link KeyedBackend}).
 */
public final class EmbeddedMongo {
  public static final String STORE_FILE = "heard-store.mv.db";
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongo.class);

  private final MongoServer server;
  private final CommittingBackend backend;
  private final ScanWatch scans;
  private final InetSocketAddress address;
  private final String appName;

  private EmbeddedMongo(MongoServer server, CommittingBackend backend, ScanWatch scans, InetSocketAddress address,
      String appName) {
    this.server = server;
    this.backend = backend;
    this.scans = scans;
    this.address = address;
    this.appName = appName;
  }

  /** Completes once everything written before this call is committed and on disk. */
  public CompletableFuture<Void> afterNextCommit() {
    return backend.afterNextCommit();
  }

  /**
   * Opens the store file and starts listening on 127.0.0.1 at a free port (or {@code port}). A store
   * that cannot be opened, or opens older than Heard last committed, stops start-up with what to do,
   * unless {@code acceptLoss} says to carry on from what it holds.
   */
  public static EmbeddedMongo start(Path dataDir, int port, boolean acceptLoss) {
    Path file = dataDir.resolve(STORE_FILE);
    StoreVersion versions = new StoreVersion(dataDir);
    MVStore store;
    try {
      // Auto-commit off: CommittingBackend commits between operations, never inside one.
      store = storeFile(file);
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("locked")) {
        throw new ConfigException(List.of("embedded store " + file + " cannot be opened (it is in use by another "
            + "Heard process)"));
      }
      throw new ConfigException(List.of("embedded store " + file + " cannot be opened (" + e.getClass().getSimpleName()
          + "): it is damaged. Restore a backup (java -jar heard.jar restore DIR), "
          + "or move " + STORE_FILE + " aside and start with " + Config.ACCEPT_STORE_LOSS + "=true to begin again "
          + "from what the spool still holds"));
    }
    long opened = store.getCurrentVersion();
    OptionalLong recorded = versions.read();
    if (recorded.isPresent() && opened < recorded.getAsLong()) {
      if (!acceptLoss) {
        store.closeImmediately();
        throw new ConfigException(List.of("embedded store " + file + " opened at version " + opened
            + " but Heard had committed up to version " + recorded.getAsLong() + " (" + versions.file()
            + "): it was truncated, damaged or replaced by an older copy, and serving from it would silently lose "
            + "responses. Restore a backup (java -jar heard.jar restore DIR), or start once with "
            + Config.ACCEPT_STORE_LOSS + "=true to carry on from what it holds (the spool writes again what it "
            + "still has)"));
      }
      LOG.warn("embedded store {} opened at version {}, older than the {} last committed; carrying on because {}=true",
          file, opened, recorded.getAsLong(), Config.ACCEPT_STORE_LOSS);
    }
    versions.write(opened);
    CommittingBackend backend = new CommittingBackend(OrderedKeys.backend(store),
        () -> storeFile(file), file, versions);
    ScanWatch scans = new ScanWatch(backend);
    KeyedBackend keyed = new KeyedBackend(scans);
    MongoServer server = new MongoServer(keyed);
    server.bind("127.0.0.1", port);
    return new EmbeddedMongo(server, backend, scans, server.getLocalAddress(), keyed.appName());
  }

  /**
   * Opens the store file without H2's background commit ({@code CommittingBackend} commits). H2's
   * write buffer stays: with it off, a full disk goes unnoticed until the next commit while the
   * store keeps taking writes in memory, and responses the spool could not keep (answered 503) were
   * stored all the same. With it, H2 may write a chunk from inside an operation that finds more than
   * the buffer unsaved (see the README's embedded store section).
   */
  static MVStore storeFile(Path file) {
    return new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
  }

  /** The connection string, with this process's key: a secret, never to be logged. */
  public String connectionString() {
    return "mongodb://127.0.0.1:" + address.getPort() + "/?appName=" + appName;
  }

  /** The same, for a tool's own client (a test, a benchmark): its queries are not counted as Heard's scans. */
  public String toolConnectionString(String tool) {
    return "mongodb://127.0.0.1:" + address.getPort() + "/?appName=" + appName + "." + tool;
  }

  /** The filters Heard's own queries made this store scan a whole collection for, most frequent first. */
  public List<StoreScan> scans() {
    return scans.scans();
  }

  /** Called on every such scan (metrics count them). */
  public void onScan(Consumer<StoreScan.Shape> listener) {
    scans.onScan(listener);
  }

  public int port() {
    return address.getPort();
  }

  /** Writes a backup of the running store and of the spool of {@code dataDir} into {@code target}; blocking. */
  StoreBackup.Contents backup(Path dataDir, Path target) throws java.io.IOException {
    return backend.backup(dataDir, target);
  }

  /**
   * Writes a backup of the store of {@code dataDir} when no Heard is running on it (the store file is
   * locked while one is); blocking.
   */
  public static StoreBackup.Contents backupStopped(Path dataDir, Path target) throws java.io.IOException {
    MVStore store;
    try {
      store = storeFile(dataDir.resolve(STORE_FILE));
    } catch (RuntimeException e) {
      throw new java.io.IOException("the embedded store in " + dataDir + " cannot be opened ("
          + e.getClass().getSimpleName() + (String.valueOf(e.getMessage()).contains("locked")
          ? ": a Heard is running on it without answering on its control socket" : "") + ")", e);
    }
    try {
      return StoreBackup.write(() -> store, dataDir, target);
    } finally {
      store.close();
    }
  }

  /** Fails when a Heard holds the store of {@code dataDir} open (its file is locked meanwhile). */
  public static void checkStopped(Path dataDir) throws java.io.IOException {
    Path file = dataDir.resolve(STORE_FILE);
    if (!java.nio.file.Files.exists(file)) {
      return;
    }
    try {
      new MVStore.Builder().fileName(file.toString()).readOnly().open().closeImmediately();
    } catch (RuntimeException e) {
      boolean locked = String.valueOf(e.getMessage()).contains("locked")
          || e instanceof java.nio.channels.OverlappingFileLockException
          || e.getCause() instanceof java.nio.channels.OverlappingFileLockException;
      if (locked) {
        throw new java.io.IOException(file + " is in use by a running Heard: stop it first", e);
      }
      // Damaged, not in use: what a restore is for.
    }
  }

  /** Rewrites the store file without its dead pages (after an erasure); blocking. */
  void rewriteFile() {
    backend.rewriteFile();
  }

  /** Stops listening, closes client connections and closes (and so flushes) the store file. */
  public void stop() {
    server.shutdownNow();
  }
}
