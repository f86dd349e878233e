package org.heard;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Path;

/**
 * A separate wire-protocol database server on a file, so a test can stop it (an outage) and start
 * it again on the same port while Heard keeps running.
 */
public final class StoppableDatabase implements AutoCloseable {
  private final Path file;
  private MongoServer server;
  private int port;

  public StoppableDatabase(Path file) {
    this.file = file;
    start(0);
  }

  private void start(int onPort) {
    server = new MongoServer(new H2Backend(file.toString()));
    server.bind("127.0.0.1", onPort);
    port = server.getLocalAddress().getPort();
  }

  public void stop() {
    server.shutdownNow();
  }

  public void restart() {
    start(port);
  }

  public String uri() {
    return "mongodb://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
