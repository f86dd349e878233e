package org.heard.survey;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of question a survey can ask, named as they are written in definition files. */
public enum QuestionType {
  SINGLE_CHOICE("single_choice"),
  MULTI_CHOICE("multi_choice"),
  SCALE("scale"),
  TEXT("text"),
  NUMBER("number"),
  AREA("area"),
  CONSENT("consent");

  private final String key;

  QuestionType(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  public boolean isChoice() {
    return this == SINGLE_CHOICE || this == MULTI_CHOICE;
  }

  public static Optional<QuestionType> fromKey(String key) {
    return Arrays.stream(values()).filter(t -> t.key.equals(key)).findFirst();
  }
}
