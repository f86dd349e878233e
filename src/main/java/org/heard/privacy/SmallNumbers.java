package org.heard.privacy;

/**
 * Small-number suppression: a count from 1 to {@code SUPPRESS_BELOW - 1} could point at a person, so
 * wherever a count leaves Heard for staff or partners (digests, themes, reach, packs) it is shown as
 * "fewer than 5" and its quotes are withheld.
 */
public final class SmallNumbers {
  public static final int SUPPRESS_BELOW = 5;

  private SmallNumbers() {
  }

  /** Whether this count must not be shown as it is. */
  public static boolean suppressed(long count) {
    return count > 0 && count < SUPPRESS_BELOW;
  }
}
