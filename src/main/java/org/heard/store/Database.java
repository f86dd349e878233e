package org.heard.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.concurrent.TimeUnit;
import org.heard.config.Config;
import org.heard.config.DataDirectory;

/**
 * The MongoDB connection every repository shares: to the configured MongoDB when
 * {@code MONGODB_URI} is set, else to the embedded store started here.
 */
public final class Database implements Durability {
  /** How long the driver looks for a reachable server before failing an operation. */
  static final int SERVER_SELECTION_TIMEOUT_MS = 5_000;
  private static final long PING_TIMEOUT_MS = 3_000;

  private final Vertx vertx;
  private final MongoClient client;
  private final EmbeddedMongo embedded;
  private final String connectionString;

  private Database(Vertx vertx, MongoClient client, EmbeddedMongo embedded, String connectionString) {
    this.vertx = vertx;
    this.client = client;
    this.embedded = embedded;
    this.connectionString = connectionString;
  }

  /** Connects (starting the embedded store first when no URI is configured). Runs at start-up. */
  public static Database open(Vertx vertx, Config config, DataDirectory dataDir) {
    EmbeddedMongo embedded = config.mongoUri().isPresent() ? null
        : EmbeddedMongo.start(dataDir.path(), 0, config.acceptStoreLoss());
    String uri = embedded == null ? config.mongoUri().orElseThrow() : embedded.connectionString();
    String connectionString = withDefaultTimeouts(uri);
    JsonObject settings = new JsonObject()
        .put("connection_string", connectionString)
        .put("db_name", config.mongoDatabase());
    return new Database(vertx, MongoClient.create(vertx, settings), embedded, connectionString);
  }

  private static String withDefaultTimeouts(String uri) {
    if (uri.contains("serverSelectionTimeoutMS")) {
      return uri;
    }
    String separator = uri.contains("?") ? "&" : (uri.matches("mongodb(\\+srv)?://[^/]+") ? "/?" : "?");
    return uri + separator + "serverSelectionTimeoutMS=" + SERVER_SELECTION_TIMEOUT_MS;
  }

  public MongoClient client() {
    return client;
  }

  /** The URI the driver uses; tests and benchmarks connect their own clients with it. */
  public String connectionString() {
    return connectionString;
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
