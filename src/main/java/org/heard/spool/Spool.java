package org.heard.spool;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable local log of everything Heard acknowledges before the database has it for sure: each
 * record is written and fsync'd (in groups, by one writer thread) before the caller is answered.
 * Records stay until the database has stored them and a grace period has passed (longer than the
 * embedded store's background commit), so after a crash or a database outage every acknowledged
 * record is written again, idempotently and in order. Files: {@code spool-<n>.log} segments of JSON
 * lines under {@code HEARD_DATA_DIR/spool}.
 */
public final class Spool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  /** How long a stored record is kept: several times the embedded store's one-second commit. */
  public static final Duration KEEP_AFTER_STORED = Duration.ofSeconds(60);
  private static final int SEGMENT_RECORDS = 5_000;
  public static final String ERASE = "erase";
  /** After a failed write (a full disk), how long appends are refused before the disk is tried again. */
  private static final long RETRY_AFTER_FAILURE_MS = 1_000;

  /** One record: its sequence number, kind ("response", "sms-inbound", "erase") and content. */
  public record Entry(long seq, String kind, JsonObject body) {
  }

  private final Path dir;
  private final Vertx vertx;
  private final SpoolWriter writer;
  private final Object lock = new Object();
  private final Waiting unsettled = new Waiting();
  private final TreeMap<Long, Long> segmentOfSeq = new TreeMap<>();
  private final TreeMap<Long, SpoolSegment> segments = new TreeMap<>();
  private long nextSeq = 1;
  private FileChannel channel;
  private SpoolSegment current;
  private volatile boolean closed;
  private volatile IOException broken;
  private volatile long brokenAtMillis;

  private Spool(Path dir, Vertx vertx) {
    this.dir = dir;
    this.vertx = vertx;
    this.writer = new SpoolWriter(this::writeBatch, this::forget, () -> closed);
  }

  /** Opens the spool, reading back every record of earlier runs as not yet settled. Blocking: start-up only. */
  public static Spool open(Path dir, Vertx vertx) throws IOException {
    Files.createDirectories(dir);
    Spool spool = new Spool(dir, vertx);
    spool.recover();
    spool.rotate();
    spool.writer.start();
    return spool;
  }

  private void recover() throws IOException {
    List<Path> files = SpoolSegment.filesIn(dir);
    Set<String> erased = new HashSet<>();
    Set<String> erasedKeys = new HashSet<>();
    List<Entry> read = new ArrayList<>();
    for (Path file : files) {
      SpoolSegment segment = new SpoolSegment(SpoolSegment.numberOf(file), file);
      segments.put(segment.number, segment);
      for (Entry entry : SpoolJson.read(file)) {
        segment.records++;
        nextSeq = Math.max(nextSeq, entry.seq() + 1);
        segmentOfSeq.put(entry.seq(), segment.number);
        if (ERASE.equals(entry.kind())) {
          entry.body().getJsonArray("ids", new JsonArray()).forEach(id -> erased.add(String.valueOf(id)));
          if (entry.body().getString("respondentKey") != null) {
            erasedKeys.add(entry.body().getString("respondentKey"));
          }
          segment.settled++;
        } else {
          read.add(entry);
        }
      }
    }
    for (Entry entry : read) {
      if (erased.contains(entry.body().getString("id", ""))
          || erasedKeys.stream().anyMatch(key -> SpoolJson.concerns(entry.body(), Set.of(), key))) {
        settleLocked(entry.seq());
      } else {
        unsettled.put(entry);
      }
    }
    if (!unsettled.isEmpty()) {
      LOG.info("spool: {} records from before the last stop will be written to the database", unsettled.size());
    }
  }

  /** Keeps a record that can never be stored (its survey changed, its key was reused) for an administrator. */
  public void reject(Entry entry, String reason) {
    SpoolJson.keepRejected(dir.resolve("rejected.log"), entry, reason);
  }

  /** Appends a record and completes with its sequence number once it is on disk (fsync'd). */
  public Future<Long> append(String kind, JsonObject body) {
    Promise<Long> done = Promise.promise();
    Context context = vertx.getOrCreateContext();
    IOException failure = broken;
    if (writer.stopped() != null) {
      done.fail(new IOException("the spool's writer stopped (" + writer.stopped() + ")"));
      return done.future();
    }
    // After a failed write, appends are refused for a moment; then one batch tries the disk again.
    if (closed || (failure != null && System.currentTimeMillis() - brokenAtMillis < RETRY_AFTER_FAILURE_MS)) {
      done.fail(new IOException("the spool cannot be written", failure));
      return done.future();
    }
    Entry entry;
    synchronized (lock) {
      entry = new Entry(nextSeq++, kind, body);
    }
    if (!writer.offer(new SpoolWrite(entry, done, context))) {
      done.fail(new IOException("the spool is full (" + SpoolWriter.CAPACITY + " records waiting for the disk)"));
    }
    return done.future();
  }

  private void writeBatch(List<SpoolWrite> batch) {
    try {
      synchronized (lock) {
        if (broken != null) {
          // The last write failed part-way: the records after it go to a new segment, so a torn tail
          // (ignored when read back) never runs into them.
          rotate();
        }
        for (SpoolWrite write : batch) {
          if (current.records >= SEGMENT_RECORDS) {
            rotate();
          }
          ByteBuffer bytes = ByteBuffer.wrap(SpoolJson.line(write.entry(), null).getBytes(StandardCharsets.UTF_8));
          while (bytes.hasRemaining()) {
            channel.write(bytes);
          }
          current.records++;
          segmentOfSeq.put(write.entry().seq(), current.number);
          if (ERASE.equals(write.entry().kind())) {
            current.settled++;
          } else {
            unsettled.put(write.entry());
          }
        }
        channel.force(false);
      }
      writableAgain();
      batch.forEach(SpoolWrite::complete);
    } catch (IOException | RuntimeException e) {
      if (broken == null) {
        LOG.error("the spool cannot be written ({}); responses are refused unless the database takes them",
            e.getClass().getSimpleName());
      }
      brokenAtMillis = System.currentTimeMillis();
      broken = e instanceof IOException io ? io : new IOException(e);
      forget(batch, broken);
    }
  }

  /** None of {@code batch} was acknowledged: forget it, so nothing half-written counts, and say why. */
  private void forget(List<SpoolWrite> batch, IOException failure) {
    synchronized (lock) {
      for (SpoolWrite w : batch) {
        unsettled.remove(w.entry().seq());
        Long number = segmentOfSeq.remove(w.entry().seq());
        SpoolSegment segment = number == null ? null : segments.get(number);
        if (segment != null) {
          segment.records--;
          segment.settled -= ERASE.equals(w.entry().kind()) ? 1 : 0;
        }
      }
    }
    batch.forEach(w -> w.fail(failure));
  }

  /** The database has this record for sure (or it can never be stored): it may be forgotten after the grace period. */
  public void settle(long seq) {
    synchronized (lock) {
      settleLocked(seq);
    }
  }

  private void settleLocked(long seq) {
    if (!unsettled.remove(seq) && !segmentOfSeq.containsKey(seq)) {
      return;
    }
    Long number = segmentOfSeq.remove(seq);
    SpoolSegment segment = number == null ? null : segments.get(number);
    if (segment != null) {
      segment.settled++;
      segment.lastSettledMillis = System.currentTimeMillis();
    }
  }

  /** Records not yet settled, oldest first. */
  public List<Entry> unsettled() {
    synchronized (lock) {
      return unsettled.inOrder();
    }
  }

  /** The latest waiting record that carries this response id ({@code id} in its body), or null. */
  public JsonObject waitingWithId(String id) {
    synchronized (lock) {
      return unsettled.withId(id);
    }
  }

  /** The latest waiting record from this respondent key (a queued text message), or null. */
  public JsonObject waitingFrom(String respondentKey) {
    synchronized (lock) {
      return unsettled.from(respondentKey);
    }
  }

  public int backlog() {
    synchronized (lock) {
      return unsettled.size();
    }
  }

  /** Whether the spool can be written: its last write did not fail (a full disk) and its writer runs. */
  public boolean writable() {
    return broken == null && !closed && writer.stopped() == null;
  }

  /**
   * Drops waiting records of erased responses (by id) or of one respondent (by respondent key, for
   * queued text messages), and records the erasure so a replay after a crash skips them too.
   */
  public Future<Long> erase(Set<String> responseIds, String respondentKey) {
    synchronized (lock) {
      // Settled, not just dropped: their segments may then be deleted like any other.
      unsettled.inOrder().stream().filter(e -> SpoolJson.concerns(e.body(), responseIds, respondentKey))
          .forEach(e -> settleLocked(e.seq()));
    }
    return append(ERASE, new JsonObject().put("ids", new JsonArray(new ArrayList<>(responseIds)))
        .put("respondentKey", respondentKey));
  }

  /**
   * After an erasure: rewrites every segment but a fresh current one, and {@code rejected.log},
   * without the erased records, so their text and numbers cannot be read from the spool's files.
   * Blocking file I/O: run on a worker.
   */
  public void scrub(Set<String> responseIds, String respondentKey) throws IOException {
    List<Path> files = new ArrayList<>();
    synchronized (lock) {
      rotate();  // the writer moves on to a new file; the ones before it can be rewritten safely
      segments.values().stream().filter(segment -> segment != current).forEach(segment -> files.add(segment.file));
    }
    files.add(dir.resolve("rejected.log"));
    for (Path file : files) {
      SpoolJson.rewriteWithout(file, body -> SpoolJson.concerns(body, responseIds, respondentKey));
    }
  }

  /** Deletes segments whose records are all settled and past the grace period. Blocking file I/O: run on a worker. */
  public void compact() {
    long now = System.currentTimeMillis();
    List<Path> deletable = new ArrayList<>();
    synchronized (lock) {
      if (broken != null && !closed) {
        probe();
      }
      if (broken != null || closed) {
        return;
      }
      boolean currentDone = current.records > 0 && current.settled >= current.records
          && now - current.lastSettledMillis > KEEP_AFTER_STORED.toMillis();
      if (currentDone) {
        try {
          rotate();
        } catch (IOException e) {
          broken = e;
          return;
        }
      }
      for (SpoolSegment segment : new ArrayList<>(segments.values())) {
        if (segment != current && segment.settled >= segment.records
            && now - segment.lastSettledMillis > KEEP_AFTER_STORED.toMillis()) {
          segments.remove(segment.number);
          segmentOfSeq.values().removeIf(n -> n == segment.number);
          deletable.add(segment.file);
        }
      }
    }
    deletable.forEach(SpoolSegment::deleteQuietly);
  }

  private void rotate() throws IOException {
    if (channel != null && broken == null) {
      channel.force(true);  // records this batch wrote to it are acknowledged once they are on disk
    }
    long number = segments.isEmpty() ? 1 : segments.lastKey() + 1;
    SpoolSegment next = new SpoolSegment(number, dir.resolve("spool-" + number + ".log"));
    FileChannel opened = FileChannel.open(next.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    if (channel != null) {
      SpoolSegment.closeQuietly(channel);
    }
    segments.put(number, next);
    current = next;
    channel = opened;
  }

  /** After a failed write, tries the disk again with a new segment and a blank line (skipped when read). */
  private void probe() {
    try {
      rotate();
      channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
      channel.force(false);
      writableAgain();
    } catch (IOException e) {
      brokenAtMillis = System.currentTimeMillis();
    }
  }

  private void writableAgain() {
    if (broken != null) {
      broken = null;
      LOG.info("the spool can be written again");
    }
  }

  /**
   * Closes the spool; when every record is settled and the database has been closed cleanly (so it
   * has everything on disk), the segments are deleted so the next start has nothing to replay.
   */
  public void close(boolean databaseClosedCleanly) {
    close();
    synchronized (lock) {
      if (!databaseClosedCleanly || !unsettled.isEmpty() || broken != null) {
        return;
      }
      segments.values().forEach(segment -> SpoolSegment.deleteQuietly(segment.file));
      segments.clear();
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      writer.join(5_000);
      synchronized (lock) {
        if (channel != null) {
          channel.force(true);
          channel.close();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.warn("could not close the spool cleanly: {}", e.getClass().getSimpleName());
    }
  }
}
