package org.heard.survey;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The partnership itself, from {@code surveys/partnership.yaml}: its name, its areas, its
 * calendar, and the census population shares that reach is measured against.
 *
 * @param population share of residents per value, by group (an equality-monitoring question id,
 *                   or {@code area})
 * @param country    ISO 3166 code of the partnership's country: phone numbers written without a
 *                   country code are read as its own
 */
public record Partnership(String name, ZoneId timezone, List<Area> areas,
    Map<String, Map<String, Double>> population, String country) {

  public Partnership {
    areas = List.copyOf(areas);
    population = Map.copyOf(population);
  }

  public Optional<Area> area(String code) {
    return areas.stream().filter(a -> a.code().equals(code)).findFirst();
  }
}
