package org.heard.survey;

import java.util.List;

/** The survey definitions cannot be used; carries every problem found in every file. */
public class DefinitionException extends RuntimeException {
  private final List<DefinitionProblem> problems;

  public DefinitionException(List<DefinitionProblem> problems) {
    super(problems.size() + " problem(s) in survey definitions");
    this.problems = List.copyOf(problems);
  }

  public List<DefinitionProblem> problems() {
    return problems;
  }
}
