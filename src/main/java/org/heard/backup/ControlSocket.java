package org.heard.backup;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.heard.config.DataDirectory;
import org.heard.store.StoreBackup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@code heard.jar backup} reaches a running Heard: a Unix domain socket in the data directory
 * ({@code heard.sock}, owner-only inside an owner-only directory, so only Heard's own user, who can
 * read the store file anyway, can ask). One request per connection, one JSON line each way:
 * {@code {"backup": "/absolute/dir"}} answered by {@code {"ok": true, "contents": {...}}} or
 * {@code {"ok": false, "error": "..."}}. Served by a thread of its own, never an event loop.
 */
public final class ControlSocket implements AutoCloseable {
  public static final String FILE = "heard.sock";
  private static final Logger LOG = LoggerFactory.getLogger(ControlSocket.class);
  private static final int MAX_REQUEST = 8192;
  private static final long BACKUP_TIMEOUT_MINUTES = 60;

  private final ServerSocketChannel server;
  private final Path path;
  private final Function<Path, Future<StoreBackup.Contents>> backup;
  private volatile boolean closed;

  private ControlSocket(ServerSocketChannel server, Path path, Function<Path, Future<StoreBackup.Contents>> backup) {
    this.server = server;
    this.path = path;
    this.backup = backup;
  }

  /** Listens in {@code dataDir}; a socket file left by a Heard that was killed is replaced. */
  public static ControlSocket open(Path dataDir, Function<Path, Future<StoreBackup.Contents>> backup) throws IOException {
    Path path = dataDir.resolve(FILE);
    Files.deleteIfExists(path);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    try {
      Files.setPosixFilePermissions(path, DataDirectory.FILE_MODE);
    } catch (UnsupportedOperationException notPosix) {
      // Not a POSIX file system: its own access rules apply.
    }
    ControlSocket socket = new ControlSocket(server, path, backup);
    Thread thread = new Thread(socket::serve, "heard-control");
    thread.setDaemon(true);
    thread.start();
    return socket;
  }

  private void serve() {
    while (!closed) {
      try (SocketChannel client = server.accept()) {
        JsonObject answer = answer(readLine(client));
        client.write(ByteBuffer.wrap((answer.encode() + "\n").getBytes(StandardCharsets.UTF_8)));
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("control socket {}: {}", path, e.toString());
        }
      }
    }
  }

  private JsonObject answer(String request) {
    String target;
    try {
      target = new JsonObject(request).getString("backup");
    } catch (RuntimeException e) {
      return refusal("not a request: send one JSON line, {\"backup\": \"/absolute/dir\"}");
    }
    if (target == null || !Path.of(target).isAbsolute()) {
      return refusal("give the backup directory as an absolute path: {\"backup\": \"/absolute/dir\"}");
    }
    try {
      StoreBackup.Contents contents = backup.apply(Path.of(target)).toCompletionStage().toCompletableFuture()
          .get(BACKUP_TIMEOUT_MINUTES, TimeUnit.MINUTES);
      LOG.info("backup written to {}: {} documents, store version {}", target, contents.total(), contents.version());
      return new JsonObject().put("ok", true).put("contents", contents.toJson());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return refusal("interrupted");
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      LOG.warn("backup to {} failed: {}", target, cause.toString());
      return refusal(String.valueOf(cause.getMessage()));
    }
  }

  private static JsonObject refusal(String why) {
    return new JsonObject().put("ok", false).put("error", why);
  }

  /** One line of at most {@link #MAX_REQUEST} bytes. */
  static String readLine(SocketChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(MAX_REQUEST);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        break;
      }
      byte[] sofar = buffer.array();
      for (int i = 0; i < buffer.position(); i++) {
        if (sofar[i] == '\n') {
          return new String(sofar, 0, i, StandardCharsets.UTF_8);
        }
      }
    }
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.debug("closing the control socket: {}", e.toString());
    }
  }
}
