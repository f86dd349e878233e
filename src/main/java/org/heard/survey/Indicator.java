package org.heard.survey;

import java.util.List;

/**
 * An outcome indicator: the share of answers to a question that are favourable, monitored
 * against a target share between 0 and 1.
 */
public record Indicator(String name, List<String> favourable, double target) {

  public Indicator {
    favourable = List.copyOf(favourable);
  }

  public boolean isFavourable(Object answer) {
    return answer != null && favourable.contains(String.valueOf(answer));
  }
}
