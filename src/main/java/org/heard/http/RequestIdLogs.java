package org.heard.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the current request's id ({@link RequestIds}) in the logging MDC as {@code requestId} just
 * before each log event is made, on the thread that logs it: Vert.x runs many requests on one
 * thread, so the id is read from the running context at that moment, never left behind. Installed
 * by {@code logback.xml}; both the plain and the JSON format show it.
 */
public final class RequestIdLogs extends TurboFilter {
  public static final String MDC_KEY = "requestId";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    String id = RequestIds.current();
    if (id == null) {
      MDC.remove(MDC_KEY);
    } else {
      MDC.put(MDC_KEY, id);
    }
    return FilterReply.NEUTRAL;
  }
}
