package org.heard.paper;

import java.util.Locale;

/** What came of keying one paper form. */
public enum KeyingOutcome {
  /** Stored as a response (single entry). */
  STORED(true, "Stored"),
  /** The same serial with the same answers was already stored: nothing changed. */
  ALREADY_STORED(true, "Already stored"),
  /** The serial is already stored with other answers, or verified: refused. */
  DUPLICATE(false, "Refused: already stored"),
  /** First of two keyings recorded; another worker must key it again. */
  AWAITING_SECOND(true, "Waiting for its second keying"),
  /** The same worker keyed the same answers again (a double submit, a re-imported file): nothing changed. */
  ALREADY_KEYED(true, "Already keyed"),
  /** The same worker tried to key the second time: refused. */
  SAME_WORKER(false, "Refused: keyed twice by one person"),
  /** The second keying matched the first: stored, verified. */
  VERIFIED(true, "Verified and stored"),
  /** The second keying differs: a third person must resolve it against the paper. */
  MISMATCH(true, "Keyings disagree: to be checked against the paper"),
  /** The serial's keyings already disagree and wait for resolution: refused. */
  AWAITING_RESOLUTION(false, "Refused: waiting to be checked against the paper");

  private final boolean accepted;
  private final String words;

  KeyingOutcome(boolean accepted, String words) {
    this.accepted = accepted;
    this.words = words;
  }

  /** What staff read: plain words, never the stored key. */
  public String words() {
    return words;
  }

  public static KeyingOutcome fromKey(String key) {
    return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
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
