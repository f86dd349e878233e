package org.heard.spool;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.heard.error.HeardException;
import org.heard.store.Durability;
import org.heard.store.StoreErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Heard is queueing (the database was unreachable, or records from before a crash wait to be
 * written), and the drain that writes the spool's records to the database in order once it answers.
 * While queueing, every channel appends to the spool instead of writing directly, so nothing
 * overtakes what is waiting.
 */
public final class Backlog {
  private static final Logger LOG = LoggerFactory.getLogger(Backlog.class);

  private final Spool spool;
  private final Durability durability;
  private final AtomicBoolean queueing = new AtomicBoolean();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final Map<String, Function<JsonObject, Future<Void>>> writers = new ConcurrentHashMap<>();
  /** Failed attempts per record; a record the database keeps failing on must not hold up all the others. */
  private final Map<Long, Integer> failures = new ConcurrentHashMap<>();
  static final int MAX_ATTEMPTS = 10;

  /** {@code durability} says when what the database took is on disk, so its spool records may go. */
  public Backlog(Spool spool, Durability durability) {
    this.spool = spool;
    this.durability = durability;
    queueing.set(spool.backlog() > 0);
  }

  public Spool spool() {
    return spool;
  }

  public boolean queueing() {
    return queueing.get();
  }

  /** The database did not answer: from now on, queue until the drain has caught up. */
  public void startQueueing() {
    if (queueing.compareAndSet(false, true)) {
      LOG.warn("the database is unreachable: acknowledged input is kept in the spool until it is back");
    }
  }

  /** Registers how records of one kind are written to the database (idempotently). */
  public void register(String kind, Function<JsonObject, Future<Void>> writer) {
    writers.put(kind, writer);
  }

  /** How {@link #keep} took a record: written to the database (with what the write returned), or queued. */
  public record Kept<T>(T written, boolean queued) {
  }

  /**
   * Takes one record durably: appends it to the spool and, unless queueing, writes it to the database
   * side by side, so the answer waits for both, not one after the other. Succeeds once the record is
   * sure to survive a crash: on disk in the spool (its copy goes after the database's next commit), or
   * written to a database whose acknowledgements are durable. Fails with {@code unavailable} when
   * neither holds it, or with the database's own error when the database refused it.
   */
  public <T> Future<Kept<T>> keep(String kind, JsonObject record, Supplier<Future<T>> write,
      Function<Throwable, HeardException> unavailable) {
    Future<Long> spooled = spool.append(kind, record);
    if (queueing()) {
      return spooled.map(seq -> new Kept<T>(null, true)).recover(error -> Future.failedFuture(unavailable.apply(error)));
    }
    Future<T> written = write.get();
    return Future.join(spooled, written).transform(done -> {
      Long seq = spooled.succeeded() ? spooled.result() : null;
      if (written.succeeded()) {
        if (seq == null && !durability.acknowledgedWritesAreDurable()) {
          // The embedded store holds it in memory until its next commit, and the spool could not take
          // it: it is not durable, so it is not acknowledged (the writes are idempotent: a retry is safe).
          return Future.failedFuture(unavailable.apply(spooled.cause()));
        }
        if (seq != null) {
          durability.afterNextCommit().onSuccess(v -> spool.settle(seq)).onFailure(error -> startQueueing());
        }
        return Future.succeededFuture(new Kept<>(written.result(), false));
      }
      if (!StoreErrors.isUnreachable(written.cause())) {
        if (seq != null) {
          spool.settle(seq);
        }
        return Future.failedFuture(written.cause());
      }
      startQueueing();
      return seq == null ? Future.failedFuture(unavailable.apply(written.cause()))
          : Future.succeededFuture(new Kept<T>(null, true));
    });
  }

  /** Writes waiting records in order; stops at the first sign the database is still away. */
  public Future<Void> drain() {
    if (!queueing.get() || !draining.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    Future<Void> chain = Future.succeededFuture();
    List<Long> written = new ArrayList<>();
    for (Spool.Entry entry : spool.unsettled()) {
      chain = chain.compose(v -> write(entry, written));
    }
    return chain
        .transform(result -> settleOnceDurable(written).transform(settled -> result.succeeded() && settled.succeeded()
            ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(result.failed() ? result.cause() : settled.cause())))
        .onSuccess(v -> {
          if (spool.backlog() == 0 && queueing.compareAndSet(true, false)) {
            LOG.info("the spool is drained: writing directly to the database again");
            // A record queued while the drain finished lands after the check: keep queueing for it.
            if (spool.backlog() > 0) {
              queueing.set(true);
            }
          }
        })
        .onComplete(done -> draining.set(false))
        .recover(error -> Future.succeededFuture());
  }

  /** Records the database took are forgotten only once they are on disk there. */
  private Future<Void> settleOnceDurable(List<Long> written) {
    if (written.isEmpty()) {
      return Future.succeededFuture();
    }
    return durability.afterNextCommit().onSuccess(v -> written.forEach(spool::settle));
  }

  private Future<Void> write(Spool.Entry entry, List<Long> written) {
    Function<JsonObject, Future<Void>> writer = writers.get(entry.kind());
    if (writer == null) {
      LOG.error("no writer for spool records of kind {}; record {} kept", entry.kind(), entry.seq());
      return Future.succeededFuture();
    }
    return writer.apply(entry.body()).transform(result -> {
      if (result.succeeded()) {
        failures.remove(entry.seq());
        written.add(entry.seq());
        return Future.succeededFuture();
      }
      boolean unreachable = StoreErrors.isUnreachable(result.cause());
      int attempts = unreachable ? 0 : failures.merge(entry.seq(), 1, Integer::sum);
      if (!(result.cause() instanceof HeardException) && attempts < MAX_ATTEMPTS) {
        // The database is away or failing: stop here, keep everything, try again on the next drain.
        return Future.failedFuture(result.cause());
      }
      if (!(result.cause() instanceof HeardException)) {
        LOG.error("spool record {} ({}) failed {} times ({}); kept in spool/rejected.log so the rest can go on",
            entry.seq(), entry.kind(), attempts, result.cause().getClass().getSimpleName());
        spool.reject(entry, "store-error: " + result.cause().getClass().getSimpleName());
        failures.remove(entry.seq());
        spool.settle(entry.seq());
        return Future.succeededFuture();
      }
      // It can never be stored (its survey changed, its key was reused): set aside on disk, say so.
      LOG.error("spool record {} ({}) cannot be stored; kept in spool/rejected.log: {}", entry.seq(), entry.kind(),
          ((HeardException) result.cause()).type());
      spool.reject(entry, ((HeardException) result.cause()).type());
      spool.settle(entry.seq());
      return Future.succeededFuture();
    });
  }
}
