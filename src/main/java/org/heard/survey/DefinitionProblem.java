package org.heard.survey;

/** One problem in a definition file: which file, the path to the key, and what is wrong. */
public record DefinitionProblem(String file, String path, String message) {

  @Override
  public String toString() {
    return file + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }
}
