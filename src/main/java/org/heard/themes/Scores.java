package org.heard.themes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Clustering agreement scores: NMI (arithmetic-mean normalisation, as scikit-learn) and ARI. */
final class Scores {
  private Scores() {
  }

  static double nmi(int[] clusters, List<String> labels) {
    int n = clusters.length;
    Map<Integer, Integer> a = new HashMap<>();
    Map<String, Integer> b = new HashMap<>();
    Map<String, Integer> joint = new HashMap<>();
    for (int i = 0; i < n; i++) {
      a.merge(clusters[i], 1, Integer::sum);
      b.merge(labels.get(i), 1, Integer::sum);
      joint.merge(clusters[i] + "\u0000" + labels.get(i), 1, Integer::sum);
    }
    double mutual = 0;
    for (Map.Entry<String, Integer> entry : joint.entrySet()) {
      String[] parts = entry.getKey().split("\u0000", 2);
      double pxy = entry.getValue() / (double) n;
      double px = a.get(Integer.parseInt(parts[0])) / (double) n;
      double py = b.get(parts[1]) / (double) n;
      mutual += pxy * Math.log(pxy / (px * py));
    }
    double ha = entropy(a.values(), n);
    double hb = entropy(b.values(), n);
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
    int n = clusters.length;
    Map<Integer, Integer> a = new HashMap<>();
    Map<String, Integer> b = new HashMap<>();
    Map<String, Integer> joint = new HashMap<>();
    for (int i = 0; i < n; i++) {
      a.merge(clusters[i], 1, Integer::sum);
      b.merge(labels.get(i), 1, Integer::sum);
      joint.merge(clusters[i] + "\u0000" + labels.get(i), 1, Integer::sum);
    }
    double index = joint.values().stream().mapToDouble(Scores::pairs).sum();
    double sumA = a.values().stream().mapToDouble(Scores::pairs).sum();
    double sumB = b.values().stream().mapToDouble(Scores::pairs).sum();
    double expected = sumA * sumB / pairs(n);
    double max = (sumA + sumB) / 2;
    return max == expected ? 1 : (index - expected) / (max - expected);
  }

  private static double pairs(int count) {
    return count * (count - 1) / 2.0;
  }
}
