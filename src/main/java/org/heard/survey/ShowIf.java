package org.heard.survey;

import java.util.Collection;
import java.util.Map;

/**
 * Skip logic: the question is asked only when an earlier question's answer includes (multi choice)
 * or equals (any other type) a value.
 */
public record ShowIf(String question, String value, boolean includes) {

  /** Whether the condition holds for the answers given so far (absent answers never match). */
  public boolean holds(Map<String, Object> answers) {
    Object answer = answers.get(question);
    if (answer == null) {
      return false;
    }
    if (includes) {
      return answer instanceof Collection<?> chosen && chosen.stream().anyMatch(v -> value.equals(String.valueOf(v)));
    }
    return value.equals(String.valueOf(answer));
  }

  public String describe() {
    return question + (includes ? " includes " : " equals ") + value;
  }
}
