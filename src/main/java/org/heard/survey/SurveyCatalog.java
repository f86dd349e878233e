package org.heard.survey;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The validated partnership and its surveys, loaded once at start-up and read-only after. */
public final class SurveyCatalog {
  private final Partnership partnership;
  private final List<SurveyDefinition> surveys;
  private final Map<String, SurveyDefinition> byId;

  public SurveyCatalog(Partnership partnership, List<SurveyDefinition> surveys) {
    this.partnership = partnership;
    this.surveys = List.copyOf(surveys);
    this.byId = surveys.stream().collect(Collectors.toUnmodifiableMap(SurveyDefinition::id, Function.identity()));
  }

  public Partnership partnership() {
    return partnership;
  }

  public List<SurveyDefinition> all() {
    return surveys;
  }

  public Optional<SurveyDefinition> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Surveys taking responses today, in file-name order. */
  public List<SurveyDefinition> openNow() {
    return surveys.stream().filter(s -> s.isOpenNow(partnership.timezone())).toList();
  }
}
