package org.heard.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.impl.config.MongoClientOptionsParser;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.heard.config.Config;
import org.heard.config.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MongoDB connection every repository shares: to the configured MongoDB when
 * {@code MONGODB_URI} is set, else to the embedded store started here.
 */
public final class Database implements Durability {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  /** How long the driver looks for a reachable server before failing an operation. */
  static final int SERVER_SELECTION_TIMEOUT_MS = 5_000;
  private static final long PING_TIMEOUT_MS = 3_000;

  private final Vertx vertx;
  private final MongoClient client;
  private final EmbeddedMongo embedded;
  private final String connectionString;
  private final Path dataDir;

  private Database(Vertx vertx, MongoClient client, EmbeddedMongo embedded, String connectionString, Path dataDir) {
    this.vertx = vertx;
    this.client = client;
    this.embedded = embedded;
    this.connectionString = connectionString;
    this.dataDir = dataDir;
  }

  /** Connects (starting the embedded store first when no URI is configured). Runs at start-up. */
  public static Database open(Vertx vertx, Config config, DataDirectory dataDir) {
    EmbeddedMongo embedded = config.mongoUri().isPresent() ? null
        : EmbeddedMongo.start(dataDir.path(), 0, config.acceptStoreLoss());
    String uri = embedded == null ? config.mongoUri().orElseThrow() : embedded.connectionString();
    String connectionString = withDefaultTimeouts(uri);
    MongoClient client = connect(vertx, connectionString, config.mongoDatabase());
    if (embedded != null) {
      dropSecondaryIndexes(client);
    }
    return new Database(vertx, client, embedded, connectionString, dataDir.path());
  }

  /** Drops the non-unique indexes an older Heard created on the embedded store (see SecondaryIndexes). */
  private static void dropSecondaryIndexes(MongoClient client) {
    for (String collection : client.getCollections().await()) {
      for (Object index : client.listIndexes(collection).await()) {
        if (index instanceof JsonObject description && SecondaryIndexes.isSecondary(description.getMap())) {
          client.dropIndex(collection, description.getString("name")).await();
          LOG.info("dropped index {} of {}: the embedded store keeps nothing for a non-unique index",
              description.getString("name"), collection);
        }
      }
    }
  }

  /**
   * A client for {@code uri}: Vert.x's settings (its codecs among them) plus the application name,
   * which Vert.x's parser leaves out and the embedded store's key travels in.
   */
  public static MongoClient connect(Vertx vertx, String uri, String databaseName) {
    JsonObject config = new JsonObject().put("connection_string", uri).put("db_name", databaseName);
    MongoClientSettings parsed = new MongoClientOptionsParser(vertx, config).settings();
    MongoClientSettings settings = MongoClientSettings.builder(parsed)
        .applicationName(new ConnectionString(uri).getApplicationName()).build();
    return MongoClient.createWithMongoSettings(vertx, config, "heard-" + UUID.randomUUID(), settings);
  }

  private static String withDefaultTimeouts(String uri) {
    if (uri.contains("serverSelectionTimeoutMS")) {
      return uri;
    }
    String separator = uri.contains("?") ? "&" : (uri.matches("mongodb(\\+srv)?://[^/]+") ? "/?" : "?");
    return uri + separator + "serverSelectionTimeoutMS=" + SERVER_SELECTION_TIMEOUT_MS;
  }

  /**
   * After an erasure or a retention sweep: rewrites the embedded store's file so the removed text
   * cannot be read from its dead pages (owner-only, like every file under the data directory). A
   * real MongoDB manages its own files: nothing to do.
   */
  public Future<Void> dropDeadPages() {
    if (embedded == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      embedded.rewriteFile();
      return null;
    }, false);
  }

  /**
   * Writes a backup of the embedded store (and the spool) into {@code target} while Heard runs; fails
   * on a MongoDB, which has its own tools (mongodump, or the deployment's snapshots). Runs on a worker.
   */
  public Future<StoreBackup.Contents> backup(Path target) {
    if (embedded == null) {
      return Future.failedFuture(new IllegalStateException("backup covers the embedded store; this Heard uses "
          + "MONGODB_URI: back that deployment up with mongodump or its own snapshots"));
    }
    return vertx.executeBlocking(() -> embedded.backup(dataDir, target), false);
  }

  public MongoClient client() {
    return client;
  }

  /** The URI the driver uses; tests and benchmarks connect their own clients with it. */
  public String connectionString() {
    return connectionString;
  }

  /**
   * A connection string for a tool's own client (tests, benchmarks): on the embedded store its queries
   * are kept apart from Heard's in {@link #storeScans()}; on a MongoDB, the same string.
   */
  public String toolConnectionString(String tool) {
    return embedded == null ? connectionString : withDefaultTimeouts(embedded.toolConnectionString(tool));
  }

  /** The filters the embedded store answered Heard by scanning a whole collection (none on MongoDB). */
  public List<StoreScan> storeScans() {
    return embedded == null ? List.of() : embedded.scans();
  }

  /** Called on every scan of the embedded store Heard causes; never on MongoDB. */
  public void onStoreScan(Consumer<StoreScan.Shape> listener) {
    if (embedded != null) {
      embedded.onScan(listener);
    }
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public boolean acknowledgedWritesAreDurable() {
    return embedded == null;
  }

  @Override
  public Future<Void> afterNextCommit() {
    return embedded == null ? Future.succeededFuture()
        : Future.fromCompletionStage(embedded.afterNextCommit(), vertx.getOrCreateContext());
  }

  /** Succeeds when the database answers a ping in time. */
  public Future<Void> ping() {
    return client.runCommand("ping", new JsonObject().put("ping", 1))
        .timeout(PING_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .mapEmpty();
  }

  /** Closes the driver's connections. */
  public Future<Void> closeClient() {
    return client.close();
  }

  /**
   * Stops the embedded store, closing (and so flushing) its file. Blocking: call it from the
   * shutdown thread after {@link #closeClient()}, never from an event loop.
   */
  public void stopEmbedded() {
    if (embedded != null) {
      embedded.stop();
    }
  }
}
