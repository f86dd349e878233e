package org.heard.survey;

import static org.heard.survey.DefinitionReader.child;
import static org.heard.survey.DefinitionReader.item;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
/** Reads and checks {@code partnership.yaml}: the partnership's name, time zone, areas and population shares. */
final class PartnershipReader {
  private static final double SHARE_SUM_TOLERANCE = 0.02;

  static final Set<String> PARTNERSHIP_KEYS = Set.of("name", "timezone", "areas", "population", "country");
  static final Set<String> AREA_KEYS = Set.of("code", "name");

  private PartnershipReader() {
  }

  static Partnership readPartnership(Path file, List<DefinitionProblem> problems) {
    int before = problems.size();
    DefinitionReader in = new DefinitionReader(file.toString(), problems);
    Map<String, Object> root = SurveyLoader.readRoot(file, in, problems);
    if (root == null) {
      return null;
    }
    in.onlyKeys(root, "", PARTNERSHIP_KEYS, "partnership.yaml");
    String name = in.string(root, "name", "", true);
    ZoneId zone = ZoneId.of("Europe/London");
    String zoneName = in.string(root, "timezone", "", false);
    if (zoneName != null) {
      try {
        zone = ZoneId.of(zoneName);
      } catch (DateTimeException e) {
        in.problem("timezone", "is not a time zone id like Europe/London");
      }
    }
    String country = in.string(root, "country", "", false);
    if (country == null) {
      country = "GB";
    } else if (!Arrays.asList(Locale.getISOCountries()).contains(country)) {
      in.problem("country", "is not a two-letter country code like GB");
    }
    List<Area> areas = readAreas(in, root);
    Map<String, Map<String, Double>> population = readPopulation(in, root, areas);
    return problems.size() == before ? new Partnership(name, zone, areas, population, country) : null;
  }

  static List<Area> readAreas(DefinitionReader in, Map<String, Object> root) {
    List<Object> list = in.list(root, "areas", "", true);
    List<Area> areas = new ArrayList<>();
    if (list == null) {
      return areas;
    }
    if (list.isEmpty()) {
      in.problem("areas", "must name at least one area");
    }
    Set<String> codes = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String path = item("areas", i);
      Map<String, Object> area = in.map(list.get(i), path);
      if (area == null) {
        continue;
      }
      in.onlyKeys(area, path, AREA_KEYS, "an area");
      String code = in.string(area, "code", path, true);
      String areaName = in.string(area, "name", path, true);
      if (code != null && !codes.add(code)) {
        in.problem(child(path, "code"), "'" + code + "' is used by another area");
      }
      if (code != null && areaName != null) {
        areas.add(new Area(code, areaName));
      }
    }
    return areas;
  }

  static Map<String, Map<String, Double>> readPopulation(DefinitionReader in, Map<String, Object> root,
      List<Area> areas) {
    Map<String, Map<String, Double>> population = new LinkedHashMap<>();
    Map<String, Object> groups = in.optionalMap(root, "population", "");
    if (groups == null) {
      return population;
    }
    groups.forEach((group, rawShares) -> {
      String path = child("population", group);
      Map<String, Object> shares = in.map(rawShares, path);
      if (shares == null) {
        return;
      }
      Map<String, Double> parsed = new LinkedHashMap<>();
      double sum = 0;
      for (String value : shares.keySet()) {
        Double share = in.number(shares, value, path);
        if (share == null) {
          continue;
        }
        if (share < 0 || share > 1) {
          in.problem(child(path, value), "must be a share between 0 and 1, not " + share);
        }
        if ("area".equals(group) && areas.stream().noneMatch(a -> a.code().equals(value))) {
          in.problem(child(path, value), "is not the code of an area in areas");
        }
        parsed.put(value, share);
        sum += share;
      }
      if (!parsed.isEmpty() && Math.abs(sum - 1.0) > SHARE_SUM_TOLERANCE) {
        in.problem(path, String.format(Locale.ROOT, "shares add up to %.3f, not 1", sum));
      }
      population.put(group, parsed);
    });
    return population;
  }

  // ---------------------------------------------------------------- survey
}
