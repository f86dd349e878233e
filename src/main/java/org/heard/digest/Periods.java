package org.heard.digest;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consecutive periods of the same length ending with the one asked for (oldest first), and the
 * count buckets ({@link DigestCounts}) that fall in each, also grouped by area.
 */
record Periods(List<LocalDate[]> ranges, List<List<JsonObject>> buckets, List<Map<String, List<JsonObject>>> byArea) {

  /** The first day of the earliest of {@code count} periods ending with from..to. */
  static LocalDate earliest(LocalDate from, LocalDate to, int count) {
    return from.minusDays(days(from, to) * (count - 1));
  }

  static long days(LocalDate from, LocalDate to) {
    return ChronoUnit.DAYS.between(from, to) + 1;
  }

  static Periods split(List<JsonObject> buckets, LocalDate from, LocalDate to, int count) {
    long days = days(from, to);
    List<LocalDate[]> ranges = new ArrayList<>();
    List<List<JsonObject>> inPeriod = new ArrayList<>();
    List<Map<String, List<JsonObject>>> byArea = new ArrayList<>();
    for (int i = count - 1; i >= 0; i--) {
      ranges.add(new LocalDate[] {from.minusDays(days * i), to.minusDays(days * i)});
      inPeriod.add(new ArrayList<>());
      byArea.add(new LinkedHashMap<>());
    }
    for (JsonObject bucket : buckets) {
      // Bucket ids are survey|day|area (CountFields.id).
      String[] id = bucket.getString("_id").split("\\|");
      LocalDate day = LocalDate.parse(id[1]);
      for (int p = 0; p < ranges.size(); p++) {
        if (!day.isBefore(ranges.get(p)[0]) && !day.isAfter(ranges.get(p)[1])) {
          inPeriod.get(p).add(bucket);
          byArea.get(p).computeIfAbsent(id[2], k -> new ArrayList<>()).add(bucket);
        }
      }
    }
    return new Periods(ranges, inPeriod, byArea);
  }

  int size() {
    return ranges.size();
  }

  /** The counts of an area in period {@code p}. */
  Totals area(int p, String area) {
    return Totals.of(byArea.get(p).getOrDefault(area, List.of()));
  }
}
