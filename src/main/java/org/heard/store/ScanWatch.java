package org.heard.store;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the queries the embedded store answers by reading a whole collection. mongo-java-server
 * uses an index only when a filter's keys are exactly a unique index's keys, each compared by
 * equality or {@code $in}; any other filter deserialises every document of the collection while
 * the store is busy, which is how analysis and ingest once fell to a few a second at 100,000
 * responses. Each filter shape that scans is logged once and counted ({@code /metrics}); the test
 * suite fails on any scan not on its short list of whole-collection reads.
 */
final class ScanWatch extends ForwardingBackend {
  /** Set by {@link KeyedBackend} on a connection that named itself as a tool (tests, benchmarks), not Heard. */
  static final AttributeKey<String> TOOL = AttributeKey.valueOf("heard-tool");
  private static final Logger LOG = LoggerFactory.getLogger(ScanWatch.class);

  private final MongoBackend delegate;
  private final Map<StoreScan.Shape, LongAdder> scans = new ConcurrentHashMap<>();
  private volatile Consumer<StoreScan.Shape> listener = shape -> { };

  ScanWatch(MongoBackend delegate) {
    this.delegate = delegate;
  }

  /** Called on every scan Heard's own connections cause (metrics count them). */
  void onScan(Consumer<StoreScan.Shape> listener) {
    this.listener = listener;
  }

  /** Every shape that scanned so far, with how often, most frequent first. */
  List<StoreScan> scans() {
    List<StoreScan> all = new ArrayList<>();
    scans.forEach((shape, count) -> all.add(new StoreScan(shape, count.sum())));
    all.sort(Comparator.comparingLong(StoreScan::count).reversed());
    return all;
  }

  @Override
  public Document handleMessage(MongoMessage message) {
    Document reply = delegate.handleMessage(message);
    Document body = message.getDocument();
    if (!body.isEmpty()) {
      observe(message.getChannel(), message.getDatabaseName(), body.keySet().iterator().next(), body);
    }
    return reply;
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    Document reply = delegate.handleCommand(channel, database, command, query);
    observe(channel, database, command, query);
    return reply;
  }

  private void observe(Channel channel, String database, String command, Document body) {
    if (channel != null && channel.attr(TOOL).get() != null) {
      return;
    }
    String operation = command.toLowerCase(Locale.ROOT);
    List<Object> filters = new ArrayList<>();
    switch (operation) {
      case "find" -> {
        Object filter = body.getOrDefault("filter", new Document());
        // The first few documents of a collection, unsorted, are read lazily: no scan.
        boolean firstFew = body.get("limit") instanceof Number limit && limit.intValue() > 0 && body.get("sort") == null;
        if (!(firstFew && filter instanceof Document f && f.isEmpty())) {
          filters.add(filter);
        }
      }
      case "count" -> {
        Object query = body.get("query");
        if (query instanceof Document q && !q.isEmpty()) {
          filters.add(q); // an empty count is the collection's size, no scan
        }
      }
      case "distinct", "findandmodify" -> filters.add(body.getOrDefault("query", new Document()));
      case "update" -> statements(body.get("updates"), filters);
      case "delete" -> statements(body.get("deletes"), filters);
      case "aggregate" -> filters.add(new Document("$aggregate", "?")); // never index-served by this store
      default -> {
        return;
      }
    }
    Object collectionName = body.get(command);
    if (!(collectionName instanceof String name)) {
      return;
    }
    MongoCollection<?> collection = collection(database, name);
    for (Object filter : filters) {
      if (SHAPES != null && filter instanceof Document query) {
        record(name, operation, query, servingIndex(collection, query));
      }
      if (filter instanceof Document query && !servedByIndex(collection, query)) {
        StoreScan.Shape shape = new StoreScan.Shape(name, operation, StoreScan.shapeOf(query));
        scans.computeIfAbsent(shape, s -> {
          LOG.warn("the embedded store scans all of {} for {} {}: no unique index has exactly these keys",
              s.collection(), s.operation(), s.filter());
          return new LongAdder();
        }).increment();
        listener.accept(shape);
      }
    }
  }

  private static void statements(Object list, List<Object> filters) {
    if (list instanceof List<?> statements) {
      for (Object statement : statements) {
        if (statement instanceof Document s) {
          filters.add(s.getOrDefault("q", new Document()));
        }
      }
    }
  }

  private MongoCollection<?> collection(String database, String name) {
    try {
      MongoDatabase db = delegate.resolveDatabase(database);
      return db == null ? null : db.resolveCollection(name, false);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * With {@code -Dheard.store.shapes=FILE}, every distinct query shape and the index that serves it
   * on this store ("scan" for none) is written to FILE, a line each: how the README's table of
   * queries and their indexes is checked against what the code really sends (run the test suite).
   */
  private static final Path SHAPES = System.getProperty("heard.store.shapes") == null ? null
      : Path.of(System.getProperty("heard.store.shapes"));
  private static final Set<String> RECORDED = ConcurrentHashMap.newKeySet();

  private static void record(String collection, String operation, Document query, String index) {
    String line = collection + "\t" + operation + "\t" + StoreScan.shapeOf(query) + "\t" + index;
    if (RECORDED.add(line)) {
      try {
        synchronized (RECORDED) {
          Files.writeString(SHAPES, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
      } catch (IOException e) {
        LOG.warn("query shapes could not be written to {}: {}", SHAPES, e.toString());
      }
    }
  }

  private static String servingIndex(MongoCollection<?> collection, Document query) {
    try {
      if (collection == null) {
        return "no collection yet";
      }
      for (Index<?> index : collection.getIndexes()) {
        if (index.canHandle(query)) {
          return index.getName();
        }
      }
    } catch (RuntimeException e) {
      return "?";
    }
    return "scan";
  }

  private static boolean servedByIndex(MongoCollection<?> collection, Document query) {
    if (collection == null) {
      return true; // no such collection: nothing was read
    }
    try {
      for (Index<?> index : collection.getIndexes()) {
        if (index.canHandle(query)) {
          return true;
        }
      }
    } catch (RuntimeException e) {
      return true; // the index list changed under us (an index being created): not worth a false alarm
    }
    return false;
  }

  @Override
  protected MongoBackend delegate() {
    return delegate;
  }
}
