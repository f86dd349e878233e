package org.heard.response;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One person's answers to one survey, as stored, whatever channel it came through.
 *
 * @param id            stable id, derived from the channel's idempotency key
 * @param answers       answer by question id, already validated against the definition
 * @param provenance    channel-specific facts about where the answers came from (never an IP
 *                      address); e.g. the API idempotency key, a paper form's batch and serial
 * @param complete      false for a partial response (an SMS conversation that expired)
 */
public record Response(
    String id,
    String surveyId,
    int surveyVersion,
    Channel channel,
    Instant receivedAt,
    String language,
    Map<String, Object> answers,
    Map<String, Object> provenance,
    boolean complete) {

  public Response {
    // Keep definition order for display; never copy into an unordered map.
    answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
  }
}
