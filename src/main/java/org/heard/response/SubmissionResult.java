package org.heard.response;

import java.util.Locale;

/** The outcome of storing a submission: its response id, and what happened to it. */
public record SubmissionResult(String responseId, Stored stored) {

  public enum Stored {
    /** Written to the database by this call. */
    CREATED,
    /** The same submission was stored before: nothing changed. */
    ALREADY_STORED,
    /** Kept in the durable spool; written to the database when it answers. */
    QUEUED;

    public String key() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** Whether this call stored something new (now, or queued for later). */
  public boolean created() {
    return stored != Stored.ALREADY_STORED;
  }
}
