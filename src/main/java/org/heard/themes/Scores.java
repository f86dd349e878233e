package org.heard.themes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Clustering agreement scores: NMI (arithmetic-mean normalisation, as scikit-learn) and ARI. */
final class Scores {
  private Scores() {
  }

  /** Cluster sizes, label sizes and their joint counts, which both scores are built from. */
  private record Table(int n, Map<Integer, Integer> clusters, Map<String, Integer> labels, Map<String, Integer> joint) {
    static Table of(int[] clusters, List<String> labels) {
      Table table = new Table(clusters.length, new HashMap<>(), new HashMap<>(), new HashMap<>());
      for (int i = 0; i < clusters.length; i++) {
        table.clusters.merge(clusters[i], 1, Integer::sum);
        table.labels.merge(labels.get(i), 1, Integer::sum);
        table.joint.merge(clusters[i] + "\u0000" + labels.get(i), 1, Integer::sum);
      }
      return table;
    }
  }

  static double nmi(int[] clusters, List<String> labels) {
    Table t = Table.of(clusters, labels);
    double mutual = 0;
    for (Map.Entry<String, Integer> entry : t.joint().entrySet()) {
      String[] parts = entry.getKey().split("\u0000", 2);
      double pxy = entry.getValue() / (double) t.n();
      double px = t.clusters().get(Integer.parseInt(parts[0])) / (double) t.n();
      double py = t.labels().get(parts[1]) / (double) t.n();
      mutual += pxy * Math.log(pxy / (px * py));
    }
    double ha = entropy(t.clusters().values(), t.n());
    double hb = entropy(t.labels().values(), t.n());
    return ha + hb == 0 ? 1 : mutual / ((ha + hb) / 2);
  }

  private static double entropy(Iterable<Integer> counts, int n) {
    double h = 0;
    for (int count : counts) {
      double p = count / (double) n;
      h -= p * Math.log(p);
    }
    return h;
  }

  static double ari(int[] clusters, List<String> labels) {
    Table t = Table.of(clusters, labels);
    double index = t.joint().values().stream().mapToDouble(Scores::pairs).sum();
    double sumA = t.clusters().values().stream().mapToDouble(Scores::pairs).sum();
    double sumB = t.labels().values().stream().mapToDouble(Scores::pairs).sum();
    double expected = sumA * sumB / pairs(t.n());
    double max = (sumA + sumB) / 2;
    return max == expected ? 1 : (index - expected) / (max - expected);
  }

  private static double pairs(int count) {
    return count * (count - 1) / 2.0;
  }
}
