package org.heard.backup;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.heard.config.Config;
import org.heard.store.StoreMigration;

/**
 * {@code heard.jar migrate --to mongodb://... [--database NAME]}: copies the embedded store of
 * {@code HEARD_DATA_DIR} (Heard stopped) into a MongoDB deployment (see StoreMigration), then compares
 * every collection's count. Run it again after an interruption to carry on; run it again after it
 * finished and it copies nothing. Then start Heard with {@code MONGODB_URI} set to the same URI.
 */
public final class MigrateCommand {
  static final String USAGE = "usage: java -jar heard.jar migrate --to mongodb://HOST/... [--database NAME]";

  private MigrateCommand() {
  }

  public static int migrate(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    String to = null;
    String database = env.getOrDefault(Config.MONGODB_DATABASE, "heard");
    long limit = 0;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      boolean hasValue = i + 1 < args.size();
      if (arg.equals("--to") && hasValue) {
        to = args.get(++i);
      } else if (arg.equals("--database") && hasValue) {
        database = args.get(++i);
      } else if (arg.equals("--limit") && hasValue && args.get(i + 1).matches("\\d{1,12}")) {
        // Copies at most this many documents, then stops as an interrupted copy would (tests, and a
        // copy spread over several maintenance windows).
        limit = Long.parseLong(args.get(++i));
      } else {
        err.println(USAGE);
        return 64;
      }
    }
    if (to == null || !to.matches("mongodb(\\+srv)?://.+")) {
      err.println(USAGE + " (--to must be a mongodb:// or mongodb+srv:// connection string)");
      return 64;
    }
    Path dataDir = Path.of(env.getOrDefault(Config.DATA_DIR, "./data")).toAbsolutePath().normalize();
    try {
      out.println("copying the embedded store in " + dataDir + " (database " + database + ") to the target:");
      StoreMigration.Outcome outcome = StoreMigration.migrate(dataDir, database, to, limit, out);
      out.println(String.format(Locale.ROOT, "%-24s %12s %12s", "collection", "embedded", "target"));
      for (StoreMigration.Count count : outcome.counts()) {
        out.println(String.format(Locale.ROOT, "%-24s %,12d %,12d%s", count.collection(), count.source(),
            count.target(), count.matches() ? "" : "  DIFFERS"));
      }
      if (outcome.stoppedEarly()) {
        out.println("stopped after " + outcome.copiedNow() + " documents: run the same command again to carry on");
        return 3;
      }
      if (!outcome.complete()) {
        err.println("heard: the target's counts differ from the embedded store's (above): was something writing "
            + "to the target meanwhile? Nothing was removed; check, then run the command again");
        return 1;
      }
      out.println("done: every collection copied and counted (" + outcome.copiedNow() + " documents this run). "
          + "Start Heard with MONGODB_URI set to the target; keep " + dataDir + " until it runs there.");
      return 0;
    } catch (IOException e) {
      err.println("heard: not migrated: " + e.getMessage());
      return 1;
    }
  }
}
