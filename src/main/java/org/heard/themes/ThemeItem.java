package org.heard.themes;

import java.time.Instant;
import java.util.Map;
import org.heard.analysis.CommentAnalysis;

/**
 * One analysed comment with what themes are filtered by: its response, question, time, channel,
 * area and equality-monitoring answers. The original text is not kept here, only the analysis.
 */
public record ThemeItem(String responseId, String questionId, Instant receivedAt, String channel, String area,
                        Map<String, String> groups, CommentAnalysis analysis) {

  public String key() {
    return responseId + "/" + questionId;
  }
}
