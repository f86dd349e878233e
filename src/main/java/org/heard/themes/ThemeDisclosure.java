package org.heard.themes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.heard.privacy.Disclosure;
import org.heard.privacy.SmallNumbers;

/**
 * A theme report as boards and partners may see it (the digest, and the themes API for anyone who
 * is not an analyst): a theme of 1 to 4 comments shows no size, share or quotes; and since theme
 * sizes add up to the comments of the period, more sizes are withheld ({@link Disclosure}) until
 * none can be subtracted back. A theme withheld only to protect another keeps its quotes: it has
 * 5 or more comments.
 */
public final class ThemeDisclosure {
  private ThemeDisclosure() {
  }

  public static JsonObject forBoards(JsonObject report) {
    JsonObject shown = report.copy();
    List<JsonObject> themes = shown.getJsonArray("themes").stream().map(JsonObject.class::cast).toList();
    protect(themes, shown, "comments", "size", "share");
    protect(themes, shown.getJsonObject("previous"), "comments", "previousSize", "previousShare");
    for (JsonObject theme : themes) {
      if (theme.getValue("size") == null && theme.getJsonArray("suppressed", new JsonArray()).contains("size")) {
        // Quotes from a group this small could point at the people who wrote them.
        theme.put("quotes", new JsonArray());
      }
    }
    return shown;
  }

  private static void protect(List<JsonObject> themes, JsonObject totals, String totalKey, String key, String shareKey) {
    Disclosure.Linked table = new Disclosure.Linked();
    List<String> members = new ArrayList<>();
    for (int i = 0; i < themes.size(); i++) {
      table.cell("t" + i, themes.get(i).getLong(key, 0L));
      members.add("t" + i);
    }
    long total = totals.getLong(totalKey, 0L);
    table.cell("total", total);
    table.line(members, "total");
    for (String withheld : table.withheld()) {
      if (withheld.equals("total")) {
        Disclosure.hide(totals, totalKey, SmallNumbers.suppressed(total) ? "suppressed" : "withheld");
        continue;
      }
      JsonObject theme = themes.get(Integer.parseInt(withheld.substring(1)));
      Disclosure.hide(theme, key, SmallNumbers.suppressed(theme.getLong(key, 0L)) ? "suppressed" : "withheld");
      theme.putNull(shareKey);
    }
  }
}
