package org.heard.backup;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.heard.config.Config;
import org.heard.store.EmbeddedMongo;
import org.heard.store.StoreBackup;

/**
 * {@code heard.jar backup DIR} and {@code heard.jar restore DIR}, for the embedded store of
 * {@code HEARD_DATA_DIR}. A backup asks the running Heard through its control socket, so it is taken
 * while residents keep answering; with no Heard running it copies the store itself. A restore needs
 * Heard stopped, checks the backup against its manifest, and keeps what it replaces.
 */
public final class BackupCommand {
  private BackupCommand() {
  }

  public static int backup(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.size() != 1) {
      err.println("usage: java -jar heard.jar backup DIR (a new or empty directory; HEARD_DATA_DIR names the data)");
      return 64;
    }
    if (usesMongo(env, err, "back up")) {
      return 1;
    }
    Path dataDir = dataDir(env);
    Path target = Path.of(args.get(0)).toAbsolutePath().normalize();
    try {
      JsonObject answer = ask(dataDir, new JsonObject().put("backup", target.toString()));
      StoreBackup.Contents contents;
      String how;
      if (answer == null) {
        contents = EmbeddedMongo.backupStopped(dataDir, target);
        how = "Heard was not running";
      } else if (!answer.getBoolean("ok", false)) {
        err.println("heard: backup not written: " + answer.getString("error"));
        return 1;
      } else {
        contents = StoreBackup.Contents.fromJson(answer.getJsonObject("contents"));
        how = "taken by the running Heard";
      }
      out.println("backup of " + dataDir + " written to " + target + " (" + how + "): " + describe(contents));
      return 0;
    } catch (IOException e) {
      err.println("heard: backup not written: " + e.getMessage());
      return 1;
    }
  }

  public static int restore(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.size() != 1) {
      err.println("usage: java -jar heard.jar restore DIR (a directory written by backup; HEARD_DATA_DIR names the data)");
      return 64;
    }
    if (usesMongo(env, err, "restore")) {
      return 1;
    }
    Path dataDir = dataDir(env);
    Path backup = Path.of(args.get(0)).toAbsolutePath().normalize();
    try {
      if (ask(dataDir, new JsonObject()) != null) {
        err.println("heard: not restored: Heard is running on " + dataDir + "; stop it first");
        return 1;
      }
      EmbeddedMongo.checkStopped(dataDir);
      StoreBackup.Contents contents = StoreBackup.verify(backup);
      Path aside = StoreBackup.restore(backup, dataDir);
      out.println("restored " + dataDir + " from " + backup + ": " + describe(contents) + ". What was there is in "
          + aside + ". Start Heard as before (with the same secret key); the spool's records are written again "
          + "at start-up.");
      return 0;
    } catch (IOException e) {
      err.println("heard: not restored: " + e.getMessage());
      return 1;
    }
  }

  private static boolean usesMongo(Map<String, String> env, PrintStream err, String verb) {
    String uri = env.get(Config.MONGODB_URI);
    if (uri != null && !uri.isBlank()) {
      err.println("heard: " + verb + " covers the embedded store; with MONGODB_URI set, use mongodump and "
          + "mongorestore or the deployment's own snapshots");
      return true;
    }
    return false;
  }

  private static Path dataDir(Map<String, String> env) {
    String dir = env.get(Config.DATA_DIR);
    return Path.of(dir == null || dir.isBlank() ? "./data" : dir).toAbsolutePath().normalize();
  }

  static String describe(StoreBackup.Contents contents) {
    return String.format(java.util.Locale.ROOT, "%,d documents in %d collections (%,d responses), store version %d, "
            + "%d spool file(s)", contents.total(), contents.documents().size(),
        contents.documents().getOrDefault("responses", 0L), contents.version(), contents.spoolFiles());
  }

  /**
   * Sends one request to the Heard running on {@code dataDir} and returns its answer, or null when none
   * runs there (no socket, or a socket left by one that was killed).
   */
  static JsonObject ask(Path dataDir, JsonObject request) throws IOException {
    Path socket = dataDir.resolve(ControlSocket.FILE);
    if (!Files.exists(socket)) {
      return null;
    }
    SocketChannel channel;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
    } catch (java.net.ConnectException | java.nio.file.NoSuchFileException e) {
      return null;
    }
    try (channel) {
      channel.write(ByteBuffer.wrap((request.encode() + "\n").getBytes(StandardCharsets.UTF_8)));
      String line = ControlSocket.readLine(channel);
      return line.isBlank() ? new JsonObject().put("ok", false).put("error", "Heard closed the connection")
          : new JsonObject(line);
    }
  }
}
