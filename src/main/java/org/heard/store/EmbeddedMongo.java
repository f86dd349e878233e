package org.heard.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.heard.config.ConfigException;

/**
 * The embedded default store: an in-process MongoDB wire-protocol server (mongo-java-server) on a
 * loopback port, keeping its data in one H2 MVStore file under the data directory. The real
 * MongoDB driver talks to it over TCP, exactly as it would to a MongoDB server.
 */
public final class EmbeddedMongo {
  static final String STORE_FILE = "heard-store.mv.db";

  private final MongoServer server;
  private final InetSocketAddress address;

  private EmbeddedMongo(MongoServer server, InetSocketAddress address) {
    this.server = server;
    this.address = address;
  }

  /** Opens the store file and starts listening on 127.0.0.1 at a free port (or {@code port}). */
  public static EmbeddedMongo start(Path dataDir, int port) {
    Path file = dataDir.resolve(STORE_FILE);
    CommittingBackend backend;
    try {
      // Auto-commit off: CommittingBackend commits between operations, never inside one.
      backend = new CommittingBackend(new H2Backend(
          new org.h2.mvstore.MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open()));
    } catch (RuntimeException e) {
      String reason = String.valueOf(e.getMessage()).contains("locked")
          ? "it is in use by another Heard process"
          : e.getClass().getSimpleName() + ": " + e.getMessage();
      throw new ConfigException(List.of("embedded store " + file + " cannot be opened (" + reason + ")"));
    }
    MongoServer server = new MongoServer(backend);
    server.bind("127.0.0.1", port);
    return new EmbeddedMongo(server, server.getLocalAddress());
  }

  public String connectionString() {
    return "mongodb://127.0.0.1:" + address.getPort();
  }

  public int port() {
    return address.getPort();
  }

  /** Stops listening, closes client connections and closes (and so flushes) the store file. */
  public void stop() {
    server.shutdownNow();
  }
}
