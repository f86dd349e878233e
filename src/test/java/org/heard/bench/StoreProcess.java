package org.heard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.heard.store.EmbeddedMongo;

/**
 * The store Heard embeds (mongo-java-server on H2, with Heard's commits, quick reads by id and scan
 * watch) in a process of its own, so a benchmark measures Heard's heap without the store's: the
 * embedded store keeps every query result in memory until sent, which is the store's cost, not the
 * exporter's. Usage: {@code StoreProcess <directory>}; prints {@code uri <connection string>} when
 * listening (the string carries the store's key: a benchmark's own secret).
 */
public final class StoreProcess {
  private StoreProcess() {
  }

  public static void main(String[] args) throws Exception {
    Path directory = Files.createDirectories(Path.of(args[0]));
    EmbeddedMongo store = EmbeddedMongo.start(directory, 0, false);
    Runtime.getRuntime().addShutdownHook(new Thread(store::stop));
    System.out.println("uri " + store.connectionString());
    System.out.flush();
    Thread.currentThread().join();
  }
}
