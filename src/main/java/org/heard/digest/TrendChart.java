package org.heard.digest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * A small server-rendered SVG of an indicator's trend: the share in each period with its 95%
 * interval as a bar, and the target as a dashed line. Black and grey only, so it prints; built
 * from numbers and an escaped title, so it is safe to put in the page as it is. The same numbers
 * are in a table next to it, and the title and description say what it shows.
 */
final class TrendChart {
  private static final int WIDTH = 360;
  private static final int HEIGHT = 140;
  private static final int LEFT = 36;
  private static final int RIGHT = 12;
  private static final int TOP = 10;
  private static final int BOTTOM = 24;

  private TrendChart() {
  }

  static String svg(String id, String name, double target, JsonArray trend) {
    int n = trend.size();
    double plotWidth = WIDTH - LEFT - RIGHT;
    double plotHeight = HEIGHT - TOP - BOTTOM;
    StringBuilder description = new StringBuilder();
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"trend\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" aria-labelledby=\"").append(id).append("-title ").append(id).append("-desc\">");
    svg.append("<title id=\"").append(id).append("-title\">").append(escape(name)).append(": trend over the last ")
        .append(n).append(" periods</title>");
    // Axis and gridlines at 0, 50% and 100%.
    for (int pct : new int[] {0, 50, 100}) {
      double y = TOP + plotHeight * (1 - pct / 100.0);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#b1b4b6\" stroke-width=\"1\"/>",
          LEFT, y, WIDTH - RIGHT, y));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" fill=\"#0b0c0c\">%d%%</text>",
          LEFT - 4, y + 4, pct));
    }
    double targetY = TOP + plotHeight * (1 - target);
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#0b0c0c\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
        LEFT, targetY, WIDTH - RIGHT, targetY));
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < n; i++) {
      JsonObject period = trend.getJsonObject(i);
      double x = LEFT + (n == 1 ? plotWidth / 2 : plotWidth * i / (n - 1));
      Double share = period.getDouble("share");
      String label = period.getString("to").substring(5);
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\" fill=\"#0b0c0c\">%s</text>",
          x, HEIGHT - 6, escape(label)));
      description.append("period ending ").append(period.getString("to")).append(": ");
      if (share == null) {
        description.append("too few answers; ");
        continue;
      }
      double low = period.getDouble("low");
      double high = period.getDouble("high");
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#505a5f\" stroke-width=\"2\"/>",
          x, TOP + plotHeight * (1 - high), x, TOP + plotHeight * (1 - low)));
      double y = TOP + plotHeight * (1 - share);
      svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#0b0c0c\"/>", x, y));
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      description.append(String.format(Locale.ROOT, "%.0f%% (%.0f%% to %.0f%%); ", share * 100, low * 100, high * 100));
    }
    if (points.length() > 0) {
      svg.append("<polyline points=\"").append(points.toString().strip())
          .append("\" fill=\"none\" stroke=\"#0b0c0c\" stroke-width=\"2\"/>");
    }
    svg.append("<desc id=\"").append(id).append("-desc\">").append(escape(String.format(Locale.ROOT,
        "Target %.0f%% (dashed line). ", target * 100) + description.toString().strip())).append("</desc>");
    return svg.append("</svg>").toString();
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
