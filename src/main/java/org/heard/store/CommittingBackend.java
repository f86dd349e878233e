package org.heard.store;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store, committed only between operations. mongo-java-server writes a document and
 * then its index entries without a transaction; H2's own background commit could fall between the
 * two, and a crash would then leave a document that a scan sees but an {@code _id} lookup does not.
 * Here H2's auto-commit is off and every operation holds a shared lock, which a commit every
 * {@link #COMMIT_EVERY_MS} ms takes exclusively: each commit holds whole operations only. What a
 * crash loses (at most that interval) the spool replays. Each commit is synced to disk and its
 * version recorded ({@link StoreVersion}), so a store that later opens older is noticed.
 */
final class CommittingBackend implements MongoBackend {
  private static final Logger LOG = LoggerFactory.getLogger(CommittingBackend.class);
  static final long COMMIT_EVERY_MS = 200;

  private final H2Backend delegate;
  private final StoreVersion versions;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final ScheduledExecutorService committer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "heard-store-commit");
    thread.setDaemon(true);
    return thread;
  });

  CommittingBackend(H2Backend delegate, StoreVersion versions) {
    this.delegate = delegate;
    this.versions = versions;
    committer.scheduleWithFixedDelay(this::commit, COMMIT_EVERY_MS, COMMIT_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  private void commit() {
    long version;
    lock.writeLock().lock();
    try {
      version = delegate.getMvStore().commit();
    } catch (RuntimeException e) {
      LOG.error("embedded store commit failed: {}", e.getClass().getSimpleName());
      return;
    } finally {
      lock.writeLock().unlock();
    }
    if (version >= 0) {
      try {
        // Operations go on while the commit reaches the disk; the version is recorded only once it has.
        delegate.getMvStore().sync();
        versions.write(version);
      } catch (RuntimeException e) {
        LOG.error("embedded store sync failed: {}", e.getClass().getSimpleName());
      }
    }
  }

  private interface Operation<T> {
    T run();
  }

  private <T> T shared(Operation<T> operation) {
    lock.readLock().lock();
    try {
      return operation.run();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void handleClose(Channel channel) {
    shared(() -> {
      delegate.handleClose(channel);
      return null;
    });
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    return shared(() -> delegate.handleCommand(channel, database, command, query));
  }

  @Override
  public QueryResult handleQuery(MongoQuery query) {
    return shared(() -> delegate.handleQuery(query));
  }

  @Override
  public Document handleMessage(MongoMessage message) {
    return shared(() -> delegate.handleMessage(message));
  }

  @Override
  public void dropDatabase(String database) {
    shared(() -> {
      delegate.dropDatabase(database);
      return null;
    });
  }

  @Override
  public Collection<Document> getCurrentOperations(MongoQuery query) {
    return delegate.getCurrentOperations(query);
  }

  @Override
  public Document getServerStatus() {
    return delegate.getServerStatus();
  }

  /** Commits what is left and closes the store file. */
  @Override
  public void close() {
    committer.shutdown();
    try {
      committer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.writeLock().lock();
    try {
      long version = delegate.getMvStore().commit();
      delegate.getMvStore().sync();
      delegate.close();
      if (version >= 0) {
        versions.write(version);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void closeCursors(List<Long> cursorIds) {
    shared(() -> {
      delegate.closeCursors(cursorIds);
      return null;
    });
  }

  @Override
  public Clock getClock() {
    return delegate.getClock();
  }

  @Override
  public void enableOplog() {
    delegate.enableOplog();
  }

  @Override
  public void disableOplog() {
    delegate.disableOplog();
  }

  @Override
  public MongoDatabase resolveDatabase(String database) {
    return delegate.resolveDatabase(database);
  }

  @Override
  public MongoBackend version(MongoVersion version) {
    delegate.version(version);
    return this;
  }
}
