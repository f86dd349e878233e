package org.heard.privacy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one disclosure rule for every count shown to boards and partners. Primary suppression: a
 * count from 1 to 4 ({@link SmallNumbers}) is withheld. Secondary suppression: where a group of
 * counts is shown beside its total, withholding one cell alone would let anyone subtract it back,
 * and withholding cells that add up to under 5 tells how small they are; so more cells (the
 * smallest shown ones) are withheld until no withheld count can be worked out from the sums shown
 * beside it, row by row, column by column and total by total, until stable ({@link Linked}).
 */
public final class Disclosure {
  private Disclosure() {
  }

  /** Withholds {@code key} of {@code target}: its value becomes null and the key is named in the list {@code why}. */
  public static void hide(JsonObject target, String key, String why) {
    target.putNull(key);
    JsonArray keys = target.getJsonArray(why);
    if (keys == null) {
      keys = new JsonArray();
      target.put(why, keys);
    }
    keys.add(key);
  }

  /**
   * Counts linked by sums, as a page shows them: each line is some cells and the cell that is their
   * total (a row and its row total, a column and its column total, the totals and the grand total).
   * {@link #withheld} starts from the small counts (and the cells never shown, as unknown), then
   * for every line where the withheld members could be worked out (exactly one withheld, or shown
   * total with withheld cells adding up to under 5) withholds the smallest shown one, over every
   * line again until none changes.
   */
  public static final class Linked {
    private final Map<String, Long> cells = new LinkedHashMap<>();
    private final Set<String> unknown = new HashSet<>();
    private final List<List<String>> lines = new ArrayList<>();

    /** A count shown on the page. */
    public Linked cell(String id, long count) {
      cells.put(id, count);
      return this;
    }

    /**
     * A count that is part of the sums but never shown, so the reader does not know it, unless it
     * is 0: "nobody left the area blank" is easy to guess, so a 0 counts as known.
     */
    public Linked hiddenCell(String id, long count) {
      cells.put(id, count);
      if (count != 0) {
        unknown.add(id);
      }
      return this;
    }

    /** {@code members} add up to {@code total}. */
    public Linked line(List<String> members, String total) {
      List<String> line = new ArrayList<>(members);
      line.add(total);
      lines.add(line);
      return this;
    }

    /** The shown cells to withhold (the small ones and enough others); never the hidden cells. */
    public Set<String> withheld() {
      Set<String> hidden = new HashSet<>(unknown);
      cells.forEach((id, count) -> {
        if (SmallNumbers.suppressed(count)) {
          hidden.add(id);
        }
      });
      boolean changed = true;
      while (changed) {
        changed = false;
        for (List<String> line : lines) {
          while (derivable(line, hidden)) {
            String next = line.stream().filter(id -> !hidden.contains(id) && cells.getOrDefault(id, 0L) > 0)
                .min(Comparator.comparingLong(cells::get)).orElse(null);
            if (next == null) {
              break;
            }
            hidden.add(next);
            changed = true;
          }
        }
      }
      hidden.removeAll(unknown);
      return hidden;
    }

    /**
     * Whether a reader could work out a withheld member of this line that must stay hidden: a lone
     * withheld member can be subtracted back (harmless only for a never-shown count of 0 or 5 and
     * more); withheld counts adding up to under 5 beside a shown total say how small each is.
     */
    private boolean derivable(List<String> line, Set<String> hidden) {
      List<String> withheld = line.stream().filter(hidden::contains).toList();
      if (withheld.isEmpty()) {
        return false;
      }
      if (withheld.size() == 1) {
        String only = withheld.get(0);
        return !unknown.contains(only) || SmallNumbers.suppressed(cells.getOrDefault(only, 0L));
      }
      String total = line.get(line.size() - 1);
      if (hidden.contains(total) || withheld.stream().anyMatch(unknown::contains)) {
        return false;
      }
      return withheld.stream().mapToLong(id -> cells.getOrDefault(id, 0L)).sum() < SmallNumbers.SUPPRESS_BELOW;
    }
  }
}
