package org.heard.bench;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * A MongoDB wire-protocol store (the same H2-backed server Heard embeds) in a process of its own,
 * so a benchmark measures Heard's heap without the store's: the embedded store keeps every query
 * result in memory while a cursor is open, which is the store's cost, not the exporter's.
 * Usage: {@code StoreProcess <h2-file>}; prints {@code port <n>} when listening.
 */
public final class StoreProcess {
  private StoreProcess() {
  }

  public static void main(String[] args) throws Exception {
    MongoServer server = new MongoServer(new H2Backend(args[0]));
    java.net.InetSocketAddress address = server.bind();
    System.out.println("port " + address.getPort());
    System.out.flush();
    Thread.currentThread().join();
  }
}
