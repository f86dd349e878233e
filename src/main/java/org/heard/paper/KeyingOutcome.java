package org.heard.paper;

import java.util.Locale;

/** What came of keying one paper form. */
public enum KeyingOutcome {
  /** Stored as a response (single entry). */
  STORED(true),
  /** The same serial with the same answers was already stored: nothing changed. */
  ALREADY_STORED(true),
  /** The serial is already stored with other answers, or verified: refused. */
  DUPLICATE(false),
  /** First of two keyings recorded; another worker must key it again. */
  AWAITING_SECOND(true),
  /** The same worker keyed the same answers again (a double submit, a re-imported file): nothing changed. */
  ALREADY_KEYED(true),
  /** The same worker tried to key the second time: refused. */
  SAME_WORKER(false),
  /** The second keying matched the first: stored, verified. */
  VERIFIED(true),
  /** The second keying differs: a third person must resolve it against the paper. */
  MISMATCH(true),
  /** The serial's keyings already disagree and wait for resolution: refused. */
  AWAITING_RESOLUTION(false);

  private final boolean accepted;

  KeyingOutcome(boolean accepted) {
    this.accepted = accepted;
  }

  public boolean accepted() {
    return accepted;
  }

  /** Whether this keying adds a form to the batch's count. */
  public boolean counts() {
    return this == STORED || this == AWAITING_SECOND || this == VERIFIED || this == MISMATCH;
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
