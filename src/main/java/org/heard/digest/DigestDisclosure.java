package org.heard.digest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.privacy.Disclosure;

/**
 * Secondary suppression over a built digest: every group of counts shown beside its total (channels
 * in the headline, areas, each monitoring question's answers; themes are protected by
 * ThemeDisclosure) and every table with totals
 * both ways (areas or answers by channel) is protected by {@link Disclosure}, so no count withheld
 * as fewer than 5 can be worked out by subtraction. A cell withheld only to protect another is
 * listed under {@code withheld} (the page says "not shown"), and its share goes with it.
 */
final class DigestDisclosure {
  /** Where {@link DigestService#count} keeps each count until the digest is protected. */
  static final String RAW = "_raw";
  private static final List<String> CHANNELS = DigestService.CHANNELS;

  private DigestDisclosure() {
  }

  static void keepRaw(JsonObject target, String key, long n) {
    JsonObject raw = target.getJsonObject(RAW);
    if (raw == null) {
      raw = new JsonObject();
      target.put(RAW, raw);
    }
    raw.put(key, n);
  }

  /** Where each count of the linked table is shown: the object and its key. */
  private record Place(JsonObject target, String key) {
  }

  static JsonObject apply(JsonObject digest) {
    Disclosure.Linked table = new Disclosure.Linked();
    Map<String, Place> places = new LinkedHashMap<>();
    JsonObject headline = digest.getJsonObject("headline");
    List<JsonObject> byChannel = objects(headline.getJsonArray("byChannel"));
    long total = shown(table, places, "total", headline, "responses");
    shown(table, places, "ptotal", headline, "previousResponses");
    Map<String, Long> channelTotals = new LinkedHashMap<>();
    for (JsonObject row : byChannel) {
      String channel = row.getString("channel");
      channelTotals.put(channel, shown(table, places, "ch:" + channel, row, "responses"));
      shown(table, places, "pch:" + channel, row, "previousResponses");
    }
    table.line(CHANNELS.stream().map(c -> "ch:" + c).toList(), "total");
    table.line(CHANNELS.stream().map(c -> "pch:" + c).toList(), "ptotal");

    JsonObject reach = digest.getJsonObject("reach");
    rows(table, places, "a", objects(reach.getJsonArray("areas")), total, "total", channelTotals);
    List<JsonObject> groups = objects(reach.getJsonArray("groups"));
    for (int g = 0; g < groups.size(); g++) {
      JsonObject group = groups.get(g);
      String id = "g" + g;
      long answered = shown(table, places, id + ":answered", group, "answered");
      shown(table, places, id + ":pnts", group, "preferNotToSay");
      shown(table, places, id + ":unanswered", group, "unanswered");
      table.line(List.of(id + ":answered", id + ":pnts", id + ":unanswered"), "total");
      rows(table, places, id, objects(group.getJsonArray("values")), answered, id + ":answered", channelTotals);
    }
    for (String hidden : table.withheld()) {
      Place place = places.get(hidden);
      if (place != null) {
        withhold(place.target(), place.key());
      }
    }
    strip(digest);
    return digest;
  }

  /**
   * One period of an indicator pack, protected as the digest is: the areas' counts beside the
   * period's responses (the rest, with no area, never shown), and each indicator's answers beside
   * them (the unanswered never shown). The kept counts are removed.
   */
  static JsonObject applyToPackPeriod(JsonObject period) {
    Disclosure.Linked table = new Disclosure.Linked();
    Map<String, Place> places = new LinkedHashMap<>();
    long total = shown(table, places, "total", period, "responses");
    rows(table, places, "a", objects(period.getJsonArray("reach")), total, "total", Map.of());
    List<JsonObject> indicators = objects(period.getJsonArray("indicators"));
    for (int i = 0; i < indicators.size(); i++) {
      long answered = shown(table, places, "i" + i, indicators.get(i), "answered");
      table.hiddenCell("i" + i + ":rest", Math.max(0, total - answered));
      table.line(List.of("i" + i, "i" + i + ":rest"), "total");
    }
    for (String hidden : table.withheld()) {
      Place place = places.get(hidden);
      if (place != null) {
        withhold(place.target(), place.key());
      }
    }
    strip(period);
    return period;
  }

  /** A count shown on the page, from where {@link DigestService#count} kept it. */
  private static long shown(Disclosure.Linked table, Map<String, Place> places, String id, JsonObject target,
      String key) {
    JsonObject raw = target.getJsonObject(RAW);
    long count = raw == null ? 0 : raw.getLong(key, 0L);
    table.cell(id, count);
    places.put(id, new Place(target, key));
    return count;
  }

  /**
   * Rows (areas, or one question's answers) with their channel mix: each row adds up to {@code
   * total} (the rest, never shown, is one unknown row), each row's channels to the row, and each
   * channel's cells, with the rest's, to the headline's channel count.
   */
  private static void rows(Disclosure.Linked table, Map<String, Place> places, String prefix, List<JsonObject> rows,
      long total, String totalId, Map<String, Long> channelTotals) {
    if (rows.isEmpty()) {
      return;
    }
    long sum = 0;
    Map<String, Long> channelSums = new LinkedHashMap<>();
    List<String> members = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonObject row = rows.get(i);
      String id = prefix + ":" + i;
      sum += shown(table, places, id, row, "responses");
      members.add(id);
      JsonObject mix = row.getJsonObject("channels");
      if (mix != null) {
        List<String> cells = new ArrayList<>();
        for (String channel : CHANNELS) {
          long count = shown(table, places, id + ":" + channel, mix, channel);
          channelSums.merge(channel, count, Long::sum);
          cells.add(id + ":" + channel);
        }
        table.line(cells, id);
      }
    }
    String rest = prefix + ":rest";
    table.hiddenCell(rest, Math.max(0, total - sum));
    members.add(rest);
    table.line(members, totalId);
    for (String channel : CHANNELS) {
      List<String> column = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        column.add(prefix + ":" + i + ":" + channel);
      }
      table.hiddenCell(rest + ":" + channel, Math.max(0, channelTotals.getOrDefault(channel, 0L)
          - channelSums.getOrDefault(channel, 0L)));
      column.add(rest + ":" + channel);
      table.line(column, "ch:" + channel);
    }
  }

  private static void withhold(JsonObject target, String key) {
    if (target.getValue(key) == null) {
      return;  // withheld already as fewer than 5
    }
    Disclosure.hide(target, key, "withheld");
    if (key.equals("responses") || key.equals("size")) {
      target.putNull("share");  // a share of a total shown would give the count back
    }
    if (key.equals("answered")) {
      DigestService.withholdShare(target);
    }
    if (key.equals("previousSize")) {
      target.putNull("previousShare");
    }
  }

  private static List<JsonObject> objects(JsonArray array) {
    return array == null ? List.of() : array.stream().filter(JsonObject.class::isInstance)
        .map(JsonObject.class::cast).toList();
  }

  /** Removes the kept counts everywhere in the digest. */
  private static void strip(Object node) {
    if (node instanceof JsonObject object) {
      object.remove(RAW);
      object.forEach(entry -> strip(entry.getValue()));
    } else if (node instanceof JsonArray array) {
      array.forEach(DigestDisclosure::strip);
    }
  }
}
