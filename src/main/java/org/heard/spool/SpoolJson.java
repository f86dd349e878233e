package org.heard.spool;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's file format: one JSON line per record, its body read back with the types it was
 * written with. JSON text has one kind of number, so a 64-bit whole number that fits 32 bits would come back as an Integer and be
 * stored as Int32 after a crash where the live insert stored Int64. Longs are therefore written
 * tagged, as MongoDB's Extended JSON writes them: {@code {"$numberLong": "5"}}.
 */
final class SpoolJson {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolJson.class);
  private static final String LONG = "$numberLong";

  private SpoolJson() {
  }

  /** One record as a line of a segment file (or of rejected.log, with why it was set aside). */
  static String line(Spool.Entry entry, String reason) {
    JsonObject line = new JsonObject().put("seq", entry.seq()).put("kind", entry.kind());
    if (reason != null) {
      line.put("reason", reason);
    }
    return line.put("body", encode(entry.body())).encode() + "\n";
  }

  /** Appends a record that can never be stored to {@code rejected} (synced), for an administrator. */
  static void keepRejected(Path rejected, Spool.Entry entry, String reason) {
    try {
      Files.writeString(rejected, line(entry, reason), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    } catch (IOException e) {
      LOG.error("could not keep rejected spool record {} aside", entry.seq());
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a record is of one of these responses, or of this respondent (a queued text message). */
  static boolean concerns(JsonObject body, Set<String> ids, String respondentKey) {
    return ids.contains(body.getString("id", "")) || (respondentKey != null
        && (respondentKey.equals(body.getString("respondentKey"))
            || respondentKey.equals(body.getJsonObject("provenance", new JsonObject()).getString("respondentKey"))));
  }

  /**
   * Rewrites a spool file (a segment or {@code rejected.log}) without the lines whose record body
   * matches: into a new file, synced, then moved over the old one, so no erased byte stays behind.
   */
  static void rewriteWithout(Path file, Predicate<JsonObject> erased) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    StringBuilder kept = new StringBuilder();
    boolean dropped = false;
    for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1)) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject body;
      try {
        body = decode(new JsonObject(line).getJsonObject("body"));
      } catch (RuntimeException torn) {
        dropped = true;  // a line cut off by a crash was never acknowledged; it may hold erased text
        continue;
      }
      if (erased.test(body)) {
        dropped = true;
      } else {
        kept.append(line).append('\n');
      }
    }
    if (!dropped) {
      return;
    }
    Path next = file.resolveSibling(file.getFileName() + ".scrub");
    Files.writeString(next, kept, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The records of one segment file. A line cut off by a crash was never acknowledged: it is skipped. */
  static List<Spool.Entry> read(Path file) throws IOException {
    List<Spool.Entry> entries = new ArrayList<>();
    String[] lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      try {
        JsonObject json = new JsonObject(lines[i]);
        entries.add(new Spool.Entry(json.getLong("seq"), json.getString("kind"), decode(json.getJsonObject("body"))));
      } catch (RuntimeException torn) {
        LOG.warn("ignored an unreadable spool record in {} line {}", file.getFileName(), i + 1);
      }
    }
    return entries;
  }

  static JsonObject encode(JsonObject body) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> field : body) {
      out.put(field.getKey(), encodeValue(field.getValue()));
    }
    return out;
  }

  static JsonObject decode(JsonObject body) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> field : body) {
      out.put(field.getKey(), decodeValue(field.getValue()));
    }
    return out;
  }

  private static Object encodeValue(Object value) {
    if (value instanceof Long number) {
      return new JsonObject().put(LONG, number.toString());
    }
    if (value instanceof JsonObject object) {
      return encode(object);
    }
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(item -> out.add(encodeValue(item)));
      return out;
    }
    return value;
  }

  private static Object decodeValue(Object value) {
    if (value instanceof JsonObject object) {
      if (object.size() == 1 && object.getValue(LONG) instanceof String digits) {
        return Long.parseLong(digits);
      }
      return decode(object);
    }
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(item -> out.add(decodeValue(item)));
      return out;
    }
    return value;
  }
}
