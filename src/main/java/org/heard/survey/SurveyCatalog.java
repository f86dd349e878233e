package org.heard.survey;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.heard.error.ClientText;
import org.heard.error.HeardException;

/**
 * The validated partnership and the surveys in force. The surveys can be replaced while the server
 * runs ({@link SurveyChanges}); a request keeps the definition it looked up, so one under way when
 * a change lands finishes on the definition it started with.
 */
public final class SurveyCatalog {
  private record Snapshot(List<SurveyDefinition> surveys, Map<String, SurveyDefinition> byId) {
    Snapshot(List<SurveyDefinition> surveys) {
      this(List.copyOf(surveys),
          surveys.stream().collect(Collectors.toUnmodifiableMap(SurveyDefinition::id, Function.identity())));
    }
  }

  private final Partnership partnership;
  private volatile Snapshot snapshot;

  public SurveyCatalog(Partnership partnership, List<SurveyDefinition> surveys) {
    this.partnership = partnership;
    this.snapshot = new Snapshot(surveys);
  }

  public Partnership partnership() {
    return partnership;
  }

  public List<SurveyDefinition> all() {
    return snapshot.surveys();
  }

  public Optional<SurveyDefinition> find(String id) {
    return Optional.ofNullable(snapshot.byId().get(id));
  }

  /** The survey with this id, or a 404-kind failure naming the id asked for. */
  public SurveyDefinition require(String id) {
    return find(id).orElseThrow(() -> new HeardException.NotFound("unknown-survey",
        "There is no survey with id '" + ClientText.shorten(String.valueOf(id)) + "'."));
  }

  /** Surveys taking responses today, in file-name order. */
  public List<SurveyDefinition> openNow() {
    return all().stream().filter(s -> s.isOpenNow(partnership.timezone())).toList();
  }

  /** Puts newly validated definitions in force (the partnership stays as started). */
  public void replace(List<SurveyDefinition> surveys) {
    snapshot = new Snapshot(surveys);
  }
}
