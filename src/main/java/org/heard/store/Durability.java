package org.heard.store;

import io.vertx.core.Future;

/**
 * When a write the database acknowledged is on disk. A real MongoDB (with a journaling write concern
 * in {@code MONGODB_URI}) acknowledges durable writes; the embedded store holds a write in memory
 * until its next commit, a fraction of a second later, so whoever acknowledges input on its word
 * alone must also have it in the spool.
 */
public interface Durability {
  /** Whether the database's acknowledgement alone means the write survives a crash. */
  boolean acknowledgedWritesAreDurable();

  /** Completes once everything the database acknowledged before this call is on disk; fails if it cannot be. */
  Future<Void> afterNextCommit();
}
