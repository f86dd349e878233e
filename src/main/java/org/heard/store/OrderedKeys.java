package org.heard.store;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ObjectDataType;

/**
 * mongo-java-server's H2 backend with its unique indexes compared by {@link KeyOrder} instead of by
 * serialising both keys at every comparison. Same maps, same names, same bytes on disk, same order:
 * only the comparing is quicker, so a store file moves between this and the plain backend freely.
 */
final class OrderedKeys {
  private OrderedKeys() {
  }

  /** The backend for this store file. */
  static H2Backend backend(MVStore store) {
    return new H2Backend(store) {
      @Override
      protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return Database.open(databaseName, store, getCursorRegistry());
      }
    };
  }

  /** H2's type for index keys: its own for everything, but the comparison of two keys it can order from their values. */
  static final class KeyType extends ObjectDataType {
    @Override
    public int compare(Object a, Object b) {
      if (a instanceof KeyValue x && b instanceof KeyValue y) {
        int order = KeyOrder.compare(x, y);
        if (order != KeyOrder.UNKNOWN) {
          return order;
        }
      }
      return super.compare(a, b);
    }
  }

  private static final class Database extends H2Database {
    /** The store while the superclass constructor opens the existing indexes (before this class's fields are set). */
    private static final ThreadLocal<MVStore> OPENING = new ThreadLocal<>();
    private final MVStore store;

    private Database(String name, MVStore store, CursorRegistry cursors) {
      super(name, store, cursors);
      this.store = store;
    }

    static Database open(String name, MVStore store, CursorRegistry cursors) {
      OPENING.set(store);
      try {
        return new Database(name, store, cursors);
      } finally {
        OPENING.remove();
      }
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
        boolean sparse) {
      MVStore mvStore = store != null ? store : OPENING.get();
      // The name H2Database gives an index's map: the same map, whichever backend opens the file.
      MVMap<KeyValue, Object> map = mvStore.openMap(getFullCollectionNamespace(collectionName) + "._index_" + indexName,
          new MVMap.Builder<KeyValue, Object>().keyType(new KeyType()).valueType(new ObjectDataType()));
      return new UniqueIndex(map, indexName, keys, sparse);
    }
  }

  /** What mongo-java-server's H2UniqueIndex does (its constructor is not public), on a map of our key type. */
  private static final class UniqueIndex extends AbstractUniqueIndex<Object> {
    private final MVMap<KeyValue, Object> map;

    UniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
      super(name, keys, sparse);
      this.map = map;
    }

    @Override
    protected Object removeDocument(KeyValue key) {
      return map.remove(key);
    }

    @Override
    protected boolean putKeyPosition(KeyValue key, Object position) {
      return map.putIfAbsent(key, Missing.ofNullable(position)) == null;
    }

    @Override
    protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
      return map.entrySet();
    }

    @Override
    protected Object getPosition(KeyValue key) {
      return map.get(key);
    }

    @Override
    public long getCount() {
      return map.sizeAsLong();
    }

    @Override
    public boolean isEmpty() {
      return map.isEmpty();
    }

    @Override
    public long getDataSize() {
      return getCount();
    }
  }
}
