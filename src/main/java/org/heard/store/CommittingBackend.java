package org.heard.store;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreTool;
import org.heard.config.DataDirectory;
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
 *
 * <p>When a commit cannot be written (a full disk), H2 closes the store. From then on every operation
 * is refused with MongoDB's OutOfDiskSpace error (14031), which Heard treats as the database being
 * away, until the file can be reopened: once the disk has room again, this backend opens it afresh
 * at its last commit and carries on, and the spool writes again what was not committed. Callers
 * that need to know when their writes are on disk wait for {@link #afterNextCommit}.
 */
final class CommittingBackend extends ForwardingBackend {
  private static final Logger LOG = LoggerFactory.getLogger(CommittingBackend.class);
  static final long COMMIT_EVERY_MS = 500;
  /** MongoDB's code for a write the storage could not take; the driver treats it as any server error. */
  static final int OUT_OF_DISK_SPACE = 14031;
  /** The store is reopened after a failed write only once its disk has at least this much room. */
  private static final long REOPEN_WITH_FREE_BYTES = 4L * 1024 * 1024;

  private volatile H2Backend delegate;
  private final Supplier<MVStore> reopen;
  private final Path file;
  private final StoreVersion versions;
  /** Why the store cannot write now, or null. */
  private volatile String failure;
  private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /** Held by a backup while it copies the file, and by a rewrite, which replaces the file. */
  private final ReentrantLock fileCopy = new ReentrantLock();
  private final ScheduledExecutorService committer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "heard-store-commit");
    thread.setDaemon(true);
    return thread;
  });

  /** {@code reopen} opens the store file again (after a failed write); {@code file} is where it lives. */
  CommittingBackend(H2Backend delegate, Supplier<MVStore> reopen, Path file, StoreVersion versions) {
    this.delegate = delegate;
    this.reopen = reopen;
    this.file = file;
    this.versions = versions;
    committer.scheduleWithFixedDelay(this::commit, COMMIT_EVERY_MS, COMMIT_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  /** Completes once everything written before this call is committed and on disk; fails if it cannot be. */
  CompletableFuture<Void> afterNextCommit() {
    CompletableFuture<Void> committed = new CompletableFuture<>();
    synchronized (waiting) {
      // Checked and queued under one lock with failed(): a waiter is never left behind by a failure.
      String why = failure;
      if (why != null) {
        committed.completeExceptionally(new IllegalStateException(why));
      } else {
        waiting.add(committed);
      }
    }
    return committed;
  }

  /**
   * Runs every {@link #COMMIT_EVERY_MS} ms. It catches Errors as well as exceptions: a scheduled task
   * that throws is never run again, and every acknowledgement would then wait for ever.
   */
  private void commit() {
    if (failure != null) {
      tryReopen();
      return;
    }
    List<CompletableFuture<Void>> covered;
    synchronized (waiting) {
      covered = new ArrayList<>(waiting);
      waiting.clear();
    }
    long version;
    MVStore store;
    lock.writeLock().lock();
    try {
      store = delegate.getMvStore();
      version = store.commit();
    } catch (RuntimeException | Error e) {
      failed(e, covered);
      return;
    } finally {
      lock.writeLock().unlock();
    }
    if (version >= 0) {
      try {
        // Operations go on while the commit reaches the disk; the waiters hear only once it has.
        store.sync();
      } catch (RuntimeException | Error e) {
        failed(e, covered);
        return;
      }
      versions.write(version);
    }
    covered.forEach(c -> c.complete(null));
  }

  private void failed(Throwable e, List<CompletableFuture<Void>> covered) {
    String why = "the embedded store could not write " + file.getFileName() + " (" + e.getClass().getSimpleName()
        + "; is the disk full?); it reopens by itself once the disk has room";
    List<CompletableFuture<Void>> lost = new ArrayList<>(covered);
    synchronized (waiting) {
      failure = why;
      // Writes made before this commit are lost with it, whoever waits for them.
      lost.addAll(waiting);
      waiting.clear();
    }
    LOG.error("embedded store commit failed ({}): refusing operations until {} can be reopened",
        e.getClass().getSimpleName(), file);
    IllegalStateException cause = new IllegalStateException(why, e);
    lost.forEach(c -> c.completeExceptionally(cause));
  }

  /** Once the disk has room, opens the store file afresh at its last commit. */
  private void tryReopen() {
    try {
      if (Files.getFileStore(file.getParent()).getUsableSpace() < REOPEN_WITH_FREE_BYTES) {
        return;
      }
    } catch (IOException e) {
      return;
    }
    lock.writeLock().lock();
    try {
      delegate.getMvStore().closeImmediately();
      MVStore store = reopen.get();
      delegate = OrderedKeys.backend(store);
      failure = null;
      versions.write(store.getCurrentVersion());
      LOG.warn("embedded store {} reopened at version {} after a failed write; the spool writes again what it lost",
          file, store.getCurrentVersion());
    } catch (RuntimeException | Error e) {
      LOG.debug("the embedded store cannot be reopened yet: {}", e.getClass().getSimpleName());
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Rewrites the store file with only its live data (H2's MVStoreTool.compact copies the current
   * maps into a new file and moves it over the old one), so what was erased cannot be read from the
   * old pages. Every operation waits meanwhile; cursors open across it end (their queries fail and
   * are retried by their callers). Blocking: run on a worker.
   */
  void rewriteFile() {
    // On the committer's thread, so it never overlaps a commit's sync (which runs outside the lock).
    try {
      committer.submit(this::rewriteNow).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while rewriting the store file", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    }
  }

  /**
   * Writes a backup into {@code target} while operations go on: commits what was written so far, then
   * lets H2 copy the file (see StoreBackup). Blocking: run on a worker or a thread of its own.
   */
  StoreBackup.Contents backup(Path dataDir, Path target) throws IOException {
    fileCopy.lock();
    try {
      return StoreBackup.write(() -> {
        lock.writeLock().lock();
        try {
          if (failure != null) {
            throw new IllegalStateException(failure);
          }
          MVStore store = delegate.getMvStore();
          store.commit();
          return store;
        } finally {
          lock.writeLock().unlock();
        }
      }, dataDir, target);
    } finally {
      fileCopy.unlock();
    }
  }

  private void rewriteNow() {
    fileCopy.lock();
    lock.writeLock().lock();
    try {
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
      MVStore store = delegate.getMvStore();
      store.commit();
      delegate.close();
      MVStoreTool.compact(file.toString(), false);
      restrictToOwner();
      MVStore reopened = reopen.get();
      delegate = OrderedKeys.backend(reopened);
      // The new file counts its versions afresh: what Heard last committed is now this.
      versions.write(reopened.getCurrentVersion());
    } catch (RuntimeException e) {
      failed(e, List.of());
      throw e;
    } finally {
      lock.writeLock().unlock();
      fileCopy.unlock();
    }
  }

  private void restrictToOwner() {
    try {
      Files.setPosixFilePermissions(file, DataDirectory.FILE_MODE);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("could not make {} owner-only: {}", file, e.getClass().getSimpleName());
    }
  }

  private interface Operation<T> {
    T run();
  }

  private static MongoServerError outOfDiskSpace(String why) {
    MongoServerError refused = new MongoServerError(OUT_OF_DISK_SPACE, "OutOfDiskSpace", why);
    refused.setLogError(false);
    return refused;
  }

  private <T> T shared(Operation<T> operation) {
    lock.readLock().lock();
    try {
      String why = failure;
      if (why != null) {
        throw outOfDiskSpace(why);
      }
      try {
        return operation.run();
      } catch (RuntimeException e) {
        // A write that failed while a commit was reaching the disk closes H2's store under operations
        // already running, before the commit's failure is recorded: theirs is the same refusal.
        if (delegate.getMvStore().isClosed() && !(e instanceof MongoServerError)) {
          throw outOfDiskSpace(failure != null ? failure : "the embedded store closed after a failed write (is the disk full?)");
        }
        throw e;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void handleClose(Channel channel) {
    lock.readLock().lock();
    try {
      delegate.handleClose(channel);
    } finally {
      lock.readLock().unlock();
    }
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
    Document nothingToCreate = SecondaryIndexes.strip(message.getDocument());
    if (nothingToCreate != null) {
      return nothingToCreate;
    }
    return shared(() -> {
      Document byId = IdReads.answer(delegate.getMvStore(), message);
      return byId != null ? byId : delegate.handleMessage(message);
    });
  }

  @Override
  public void dropDatabase(String database) {
    shared(() -> {
      delegate.dropDatabase(database);
      return null;
    });
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
      if (failure != null) {
        // What was not committed is still in the spool, which keeps it for the next start.
        delegate.getMvStore().closeImmediately();
        return;
      }
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
  protected MongoBackend delegate() {
    return delegate;
  }
}
