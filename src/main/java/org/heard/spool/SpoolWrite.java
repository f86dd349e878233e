package org.heard.spool;

import io.vertx.core.Context;
import io.vertx.core.Promise;

/** A record waiting for the spool's disk, and the caller's context its answer is delivered on. */
record SpoolWrite(Spool.Entry entry, Promise<Long> done, Context context) {
  void complete() {
    context.runOnContext(v -> done.complete(entry.seq()));
  }

  void fail(Throwable error) {
    context.runOnContext(v -> done.fail(error));
  }
}
