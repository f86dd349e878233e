package org.heard.store;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Copies an embedded store (Heard stopped) into a MongoDB deployment, collection by collection in the
 * store's key order, a thousand documents per write, each document as the exact BSON the store holds
 * and written as an upsert by {@code _id}: running it again changes nothing already copied
 * (idempotent), and an interrupted copy carries on where it stopped (resumable: how far each collection
 * got is kept in the target's {@code heard_migration}). The unique indexes the store holds are created
 * on the target; Heard creates the rest when it first starts there. Finally every collection's count
 * is compared with the source's.
 */
public final class StoreMigration {
  /** Progress per collection, on the target: {@code {_id: collection, copied: n}}. */
  static final String PROGRESS = "heard_migration";
  private static final String DATA_MAPS = "databases.";
  private static final String INDEXES = "system.indexes";
  private static final int BATCH = 1000;
  private static final long WRITE_TIMEOUT_SECONDS = 120;

  /** One collection's outcome: documents in the source, and in the target after the copy. */
  public record Count(String collection, long source, long target) {
    public boolean matches() {
      return source == target;
    }
  }

  /** The outcome: counts per collection, and whether the copy stopped early (at {@code limit}). */
  public record Outcome(List<Count> counts, boolean stoppedEarly, long copiedNow) {
    public boolean complete() {
      return !stoppedEarly && counts.stream().allMatch(Count::matches);
    }
  }

  private StoreMigration() {
  }

  /**
   * Copies database {@code database} of the embedded store in {@code dataDir} into {@code database} at
   * {@code targetUri}; copies at most {@code limit} documents this run when {@code limit > 0}.
   */
  public static Outcome migrate(Path dataDir, String database, String targetUri, long limit, PrintStream out)
      throws IOException {
    Path file = dataDir.resolve(EmbeddedMongo.STORE_FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException("no embedded store in " + dataDir + " (" + EmbeddedMongo.STORE_FILE + ")");
    }
    EmbeddedMongo.checkStopped(dataDir);
    MVStore store;
    try {
      store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
    } catch (RuntimeException e) {
      throw new IOException(file + " cannot be opened (" + e.getClass().getSimpleName() + ")", e);
    }
    try (MongoClient client = MongoClients.create(targetUri)) {
      MongoDatabase target = client.getDatabase(database);
      String prefix = DATA_MAPS + database + ".";
      List<String> collections = store.getMapNames().stream().filter(n -> n.startsWith(prefix))
          .map(n -> n.substring(prefix.length())).filter(c -> !c.startsWith("system.")).sorted().toList();
      Map<String, List<Document>> indexes = indexes(store, prefix, database);
      List<Count> counts = new ArrayList<>();
      long copiedNow = 0;
      boolean stoppedEarly = false;
      for (String collection : collections) {
        MVMap<Object, Document> source = store.openMap(prefix + collection);
        long room = limit > 0 ? limit - copiedNow : Long.MAX_VALUE;
        if (room <= 0) {
          stoppedEarly = true;
          break;
        }
        long copied = copy(source, target, collection, room, out);
        copiedNow += copied;
        createIndexes(target.getCollection(collection, BsonDocument.class), indexes.getOrDefault(collection, List.of()));
        long progress = progress(target, collection);
        if (progress < source.sizeAsLong()) {
          stoppedEarly = true;
          break;
        }
      }
      for (String collection : collections) {
        long inTarget = await(target.getCollection(collection, BsonDocument.class).countDocuments());
        counts.add(new Count(collection, store.openMap(prefix + collection).sizeAsLong(), inTarget));
      }
      return new Outcome(counts, stoppedEarly, copiedNow);
    } finally {
      store.closeImmediately();
    }
  }

  /** Copies what is left of one collection (after what its progress says was copied), up to {@code room}. */
  private static long copy(MVMap<Object, Document> source, MongoDatabase target, String collection, long room,
      PrintStream out) throws IOException {
    MongoCollection<BsonDocument> into = target.getCollection(collection, BsonDocument.class);
    long done = progress(target, collection);
    long size = source.sizeAsLong();
    if (done >= size) {
      return 0;
    }
    Cursor<Object, Document> cursor = source.cursor(source.getKey(done));
    long copied = 0;
    List<WriteModel<BsonDocument>> batch = new ArrayList<>();
    while (cursor.hasNext() && copied < room) {
      cursor.next();
      RawBsonDocument document = bson(cursor.getValue());
      batch.add(new ReplaceOneModel<>(new BsonDocument("_id", document.get("_id")), document,
          new ReplaceOptions().upsert(true)));
      copied++;
      if (batch.size() == BATCH || copied == room) {
        done = write(target, into, collection, batch, done);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      done = write(target, into, collection, batch, done);
    }
    out.printf(java.util.Locale.ROOT, "  %-24s %,d of %,d copied%n", collection, done, size);
    return copied;
  }

  private static long write(MongoDatabase target, MongoCollection<BsonDocument> into, String collection,
      List<WriteModel<BsonDocument>> batch, long done) throws IOException {
    await(into.bulkWrite(batch, new BulkWriteOptions().ordered(false)));
    long now = done + batch.size();
    await(target.getCollection(PROGRESS, BsonDocument.class).replaceOne(new BsonDocument("_id", new BsonString(collection)),
        new BsonDocument("_id", new BsonString(collection)).append("copied", new BsonInt64(now)),
        new ReplaceOptions().upsert(true)));
    return now;
  }

  private static long progress(MongoDatabase target, String collection) throws IOException {
    List<BsonDocument> found = awaitAll(target.getCollection(PROGRESS, BsonDocument.class)
        .find(new BsonDocument("_id", new BsonString(collection))));
    return found.isEmpty() ? 0 : found.get(0).getNumber("copied").longValue();
  }

  /** The store's index definitions per collection (its {@code system.indexes}), without {@code _id_}. */
  private static Map<String, List<Document>> indexes(MVStore store, String prefix, String database) {
    Map<String, List<Document>> byCollection = new TreeMap<>();
    if (!store.hasMap(prefix + INDEXES)) {
      return byCollection;
    }
    MVMap<Object, Document> specs = store.openMap(prefix + INDEXES);
    for (Document spec : specs.values()) {
      String namespace = String.valueOf(spec.get("ns"));
      if (!"_id_".equals(spec.get("name")) && namespace.startsWith(database + ".")) {
        byCollection.computeIfAbsent(namespace.substring(database.length() + 1), c -> new ArrayList<>()).add(spec);
      }
    }
    return byCollection;
  }

  private static void createIndexes(MongoCollection<BsonDocument> collection, List<Document> specs) throws IOException {
    for (Document spec : specs) {
      IndexOptions options = new IndexOptions().name(String.valueOf(spec.get("name")))
          .unique(Boolean.TRUE.equals(spec.get("unique"))).sparse(Boolean.TRUE.equals(spec.get("sparse")));
      await(collection.createIndex(bson((Document) spec.get("key")), options));
    }
  }

  /** The document as the BSON the store would send for it. */
  private static RawBsonDocument bson(Document document) {
    ByteBuf buffer = Unpooled.buffer();
    try {
      BsonEncoder.encodeDocument(document, buffer);
      byte[] bytes = new byte[buffer.readableBytes()];
      buffer.readBytes(bytes);
      return new RawBsonDocument(bytes);
    } finally {
      buffer.release();
    }
  }

  private static <T> T await(Publisher<T> publisher) throws IOException {
    List<T> all = awaitAll(publisher);
    return all.isEmpty() ? null : all.get(0);
  }

  /** Every item a publisher gives, waited for (a command-line tool's thread, never an event loop). */
  private static <T> List<T> awaitAll(Publisher<T> publisher) throws IOException {
    CompletableFuture<List<T>> done = new CompletableFuture<>();
    List<T> items = new ArrayList<>();
    publisher.subscribe(new Subscriber<T>() {
      @Override
      public void onSubscribe(Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(T item) {
        items.add(item);
      }

      @Override
      public void onError(Throwable error) {
        done.completeExceptionally(error);
      }

      @Override
      public void onComplete() {
        done.complete(items);
      }
    });
    try {
      return done.get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IOException("the target refused: " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("the target did not answer within " + WRITE_TIMEOUT_SECONDS + " s", e);
    }
  }
}
