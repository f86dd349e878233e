package org.heard.paper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.heard.sms.TextBack;

/**
 * One paper form as keyed: the answers (validated against the definition) and the questions marked
 * "not answered" or "unreadable", which are kept as such rather than as empty.
 *
 * @param complete whether every required question that applies has an answer
 * @param contacts the number written with each consent question answered yes, by question id
 */
public record PaperAnswers(Map<String, Object> answers, Map<String, PaperCodes.Mark> marks, boolean complete,
    Map<String, TextBack.Contact> contacts) {
  public PaperAnswers {
    answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    marks = Collections.unmodifiableMap(new LinkedHashMap<>(marks));
    contacts = Collections.unmodifiableMap(new LinkedHashMap<>(contacts));
  }

  /** The number to text back: the one written with a consent question answered yes. */
  public TextBack.Contact textBack() {
    return TextBack.consented(answers, contacts);
  }

  /** Marks as stored: question id to "not-answered" or "unreadable". */
  public Map<String, Object> markKeys() {
    Map<String, Object> keys = new LinkedHashMap<>();
    marks.forEach((id, mark) -> keys.put(id, mark.key()));
    return keys;
  }

  /**
   * Where two keyings of the same form differ, question by question: a question's id, or its id and
   * {@link TextBack#PHONE_SUFFIX} where the numbers written with it differ.
   */
  public List<String> differences(PaperAnswers other, List<String> questionIds) {
    List<String> differ = new ArrayList<>();
    for (String id : questionIds) {
      if (!Objects.equals(answers.get(id), other.answers.get(id)) || !Objects.equals(marks.get(id), other.marks.get(id))) {
        differ.add(id);
      }
      if (!Objects.equals(contacts.get(id), other.contacts.get(id))) {
        differ.add(id + TextBack.PHONE_SUFFIX);
      }
    }
    return differ;
  }
}
