package org.heard.text;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Measures redaction on two labelled sets written for Heard: {@code redaction/labelled.txt}, which
 * the rules were developed on, and {@code redaction/second.txt}, written afterwards to see whether
 * the figures carry over to names and wording the rules had not met. For each: recall
 * per kind of personal data, precision over every marker placed, and how many marked look-alikes
 * (street and shop names, bus routes) stay. Prints the table; fails under the targets (recall 97%
 * overall and 95% for names, precision 95%). Run alone with
 * {@code mvn -B -q test -Dtest=RedactionEvaluationTest}.
 */
class RedactionEvaluationTest {
  private static final Pattern ITEM = Pattern.compile("\\{([a-z]+)\\|([^}]*)}");
  private static final Set<String> KINDS = Set.of("name", "phone", "email", "postcode", "vehicle", "address");

  private record Item(String kind, int start, int end) {
  }

  private record Labelled(String text, List<Item> items) {
  }

  @ParameterizedTest
  @ValueSource(strings = {"labelled.txt", "second.txt"})
  void redactionMeetsItsTargets(String set) throws IOException {
    TextAnalyzer analyzer = new TextAnalyzer(Set.of("en"));
    Map<String, int[]> byKind = new LinkedHashMap<>();
    for (String kind : List.of("name", "phone", "email", "postcode", "vehicle", "address")) {
      byKind.put(kind, new int[2]);
    }
    int markers = 0;
    int wrongMarkers = 0;
    int lookAlikes = 0;
    int lookAlikesKept = 0;
    List<String> problems = new ArrayList<>();
    for (Labelled comment : labelled(set)) {
      List<Redactor.Found> found = analyzer.personalData(comment.text, "en");
      boolean[] covered = new boolean[comment.text.length()];
      for (Redactor.Found span : found) {
        for (int i = span.start(); i < span.end(); i++) {
          covered[i] = true;
        }
        markers++;
        boolean onItem = comment.items.stream()
            .anyMatch(item -> KINDS.contains(item.kind) && item.start < span.end() && span.start() < item.end);
        if (!onItem) {
          wrongMarkers++;
          problems.add("wrongly removed " + span.marker() + " '" + comment.text.substring(span.start(), span.end())
              + "' in: " + comment.text);
        }
      }
      for (Item item : comment.items) {
        boolean untouched = true;
        boolean removed = true;
        for (int i = item.start; i < item.end; i++) {
          if (Character.isLetterOrDigit(comment.text.charAt(i))) {
            removed &= covered[i];
            untouched &= !covered[i];
          }
        }
        if (item.kind.equals("keep")) {
          lookAlikes++;
          lookAlikesKept += untouched ? 1 : 0;
          continue;
        }
        int[] counts = byKind.get(item.kind);
        counts[0]++;
        counts[1] += removed ? 1 : 0;
        if (!removed) {
          problems.add("missed " + item.kind + " '" + comment.text.substring(item.start, item.end) + "' in: "
              + comment.text);
        }
      }
    }
    int items = byKind.values().stream().mapToInt(c -> c[0]).sum();
    int caught = byKind.values().stream().mapToInt(c -> c[1]).sum();
    StringBuilder table = new StringBuilder("\nRedaction on redaction/" + set + "\n");
    byKind.forEach((kind, c) -> table.append(String.format("  %-9s %3d/%3d  %5.1f%%%n", kind, c[1], c[0],
        100.0 * c[1] / c[0])));
    table.append(String.format("  recall    %3d/%3d  %5.1f%%%n", caught, items, 100.0 * caught / items));
    table.append(String.format("  precision %3d/%3d  %5.1f%%%n", markers - wrongMarkers, markers,
        100.0 * (markers - wrongMarkers) / markers));
    table.append(String.format("  look-alikes kept %d/%d%n", lookAlikesKept, lookAlikes));
    problems.forEach(problem -> table.append("  ").append(problem).append('\n'));
    System.out.println(table);
    int[] names = byKind.get("name");
    assertTrue(caught >= 0.97 * items, table.toString());
    assertTrue(names[1] >= 0.95 * names[0], table.toString());
    assertTrue(markers - wrongMarkers >= 0.95 * markers, table.toString());
  }

  private static List<Labelled> labelled(String set) throws IOException {
    List<Labelled> comments = new ArrayList<>();
    try (InputStream in = RedactionEvaluationTest.class.getResourceAsStream("/redaction/" + set)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        StringBuilder text = new StringBuilder();
        List<Item> items = new ArrayList<>();
        Matcher matcher = ITEM.matcher(line);
        int at = 0;
        while (matcher.find()) {
          text.append(line, at, matcher.start());
          int start = text.length();
          text.append(matcher.group(2));
          items.add(new Item(matcher.group(1), start, text.length()));
          at = matcher.end();
        }
        text.append(line.substring(at));
        comments.add(new Labelled(text.toString(), items));
      }
    }
    return comments;
  }
}
