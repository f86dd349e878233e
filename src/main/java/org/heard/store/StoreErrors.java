package org.heard.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Classifies driver errors by their codes, never by message text. */
public final class StoreErrors {
  private static final int DUPLICATE_KEY = 11000;

  private StoreErrors() {
  }

  public static boolean isDuplicateKey(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof MongoWriteException write && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
        return true;
      }
      if (t instanceof MongoException mongo && mongo.getCode() == DUPLICATE_KEY) {
        return true;
      }
      // A bulk write reports each refused document; it is a duplicate only if every refusal is one.
      if (t instanceof MongoBulkWriteException bulk && !bulk.getWriteErrors().isEmpty()
          && bulk.getWriteErrors().stream().allMatch(e -> e.getCategory() == ErrorCategory.DUPLICATE_KEY)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether any failure, wherever it came from, is the driver failing to reach the database. Unlike
   * {@link #isUnreachable}, a plain I/O error (a malformed request body) does not count.
   */
  public static boolean isDriverUnreachable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof MongoTimeoutException || t instanceof MongoSocketException) {
        return true;
      }
      if (t instanceof MongoException mongo && mongo.getCode() == CommittingBackend.OUT_OF_DISK_SPACE) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a store operation failed because the database could not be reached or cannot write now
   * (out of disk space: the embedded store says so until it can reopen), as opposed to refusing it.
   */
  public static boolean isUnreachable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof MongoTimeoutException || t instanceof MongoSocketException
          || t instanceof TimeoutException || t instanceof IOException) {
        return true;
      }
      if (t instanceof MongoException mongo && mongo.getCode() == CommittingBackend.OUT_OF_DISK_SPACE) {
        return true;
      }
    }
    return false;
  }
}
