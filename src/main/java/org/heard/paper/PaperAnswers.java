package org.heard.paper;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One paper form as keyed: the answers (validated against the definition) and the questions marked
 * "not answered" or "unreadable", which are kept as such rather than as empty.
 *
 * @param complete whether every required question that applies has an answer
 */
public record PaperAnswers(Map<String, Object> answers, Map<String, PaperCodes.Mark> marks, boolean complete) {
  public PaperAnswers {
    answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    marks = Collections.unmodifiableMap(new LinkedHashMap<>(marks));
  }

  /** Marks as stored: question id to "not-answered" or "unreadable". */
  public Map<String, Object> markKeys() {
    Map<String, Object> keys = new LinkedHashMap<>();
    marks.forEach((id, mark) -> keys.put(id, mark.key()));
    return keys;
  }

  /** Whether two keyings of the same form say the same thing, question by question. */
  public List<String> differences(PaperAnswers other, List<String> questionIds) {
    return questionIds.stream().filter(id -> !Objects.equals(answers.get(id), other.answers.get(id))
        || !Objects.equals(marks.get(id), other.marks.get(id))).toList();
  }
}
