package org.heard.survey;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.heard.error.ClientText;
import org.heard.error.HeardException;

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

  /** The survey with this id, or a 404-kind failure naming the id asked for. */
  public SurveyDefinition require(String id) {
    return find(id).orElseThrow(() -> new HeardException.NotFound("unknown-survey",
        "There is no survey with id '" + ClientText.shorten(String.valueOf(id)) + "'."));
  }

  /** Surveys taking responses today, in file-name order. */
  public List<SurveyDefinition> openNow() {
    return surveys.stream().filter(s -> s.isOpenNow(partnership.timezone())).toList();
  }
}
