package org.heard.store;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A filter the embedded store answered by reading a whole collection, and how often it did. */
public record StoreScan(Shape shape, long count) {

  /** Where and what: {@code filter} keeps the filter's keys and operators, with every value as {@code ?}. */
  public record Shape(String collection, String operation, String filter) {
    @Override
    public String toString() {
      return collection + " " + operation + " " + filter;
    }
  }

  /** {@code {surveyId: ?, receivedAt: {$gte: ?}}} for a filter on a survey and a time. */
  static String shapeOf(Object value) {
    if (value instanceof Document document) {
      return document.entrySet().stream().map(e -> e.getKey() + ": " + shapeOf(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream().map(e -> e.getKey() + ": " + shapeOf(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    if (value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(v -> v instanceof Document)) {
      return list.stream().map(StoreScan::shapeOf).distinct().collect(Collectors.joining(", ", "[", "]"));
    }
    return "?";
  }
}
