package org.heard.themes;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Louvain community detection (Blondel et al. 2008) on a weighted undirected graph, with a
 * resolution parameter. Deterministic: nodes are visited in index order (or an order shuffled by a
 * given seeded random), ties keep the lower community, so the same graph always gives the same communities.
 */
final class Louvain {
  private Louvain() {
  }

  /** Adjacency as parallel arrays per node: neighbour indexes and weights (symmetric). */
  record Graph(int[][] neighbours, double[][] weights) {
    int size() {
      return neighbours.length;
    }
  }

  /** Community index per node, numbered 0.. in order of first appearance. */
  static int[] communities(Graph graph, double resolution) {
    return communities(graph, resolution, null);
  }

  /** The same, visiting nodes in an order shuffled by {@code random} (null: index order). */
  static int[] communities(Graph graph, double resolution, SplittableRandom random) {
    int n = graph.size();
    int[] membership = new int[n];
    for (int i = 0; i < n; i++) {
      membership[i] = i;
    }
    Graph level = graph;
    for (int pass = 0; pass < 20; pass++) {
      int[] local = onePass(level, resolution, random);
      int count = renumber(local);
      if (count == level.size()) {
        break;
      }
      for (int i = 0; i < n; i++) {
        membership[i] = local[membership[i]];
      }
      level = aggregate(level, local, count);
    }
    renumber(membership);
    return membership;
  }

  /**
   * The consensus of {@code runs} Louvain runs (one run: plain Louvain), each visiting the nodes
   * in another seeded order: one run depends on the order, so a comment between two concerns lands
   * by chance. The graph keeps the edges whose two ends most runs put together, weighted by how
   * often, and is split once more (Lancichinetti and Fortunato 2012).
   */
  static int[] consensus(Graph graph, double resolution, int runs, long seed) {
    if (runs <= 1) {
      return communities(graph, resolution);
    }
    int m = graph.size();
    int[][] partitions = new int[runs][];
    SplittableRandom random = new SplittableRandom(seed);
    for (int r = 0; r < runs; r++) {
      partitions[r] = communities(graph, resolution, random.split());
    }
    int[][] neighbours = new int[m][];
    double[][] weights = new double[m][];
    for (int a = 0; a < m; a++) {
      int[] from = graph.neighbours()[a];
      int[] kept = new int[from.length];
      double[] weight = new double[from.length];
      int count = 0;
      for (int e = 0; e < from.length; e++) {
        int together = 0;
        for (int[] partition : partitions) {
          together += partition[a] == partition[from[e]] ? 1 : 0;
        }
        double agreement = together / (double) runs;
        if (agreement >= 0.5) {
          kept[count] = from[e];
          weight[count++] = agreement * graph.weights()[a][e];
        }
      }
      neighbours[a] = Arrays.copyOf(kept, count);
      weights[a] = Arrays.copyOf(weight, count);
    }
    return communities(new Graph(neighbours, weights), resolution);
  }

  private static int[] onePass(Graph g, double resolution, SplittableRandom random) {
    int n = g.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (random != null) {
      for (int i = n - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
    }
    double[] degree = new double[n];
    double total = 0;
    double[] self = new double[n];
    for (int i = 0; i < n; i++) {
      for (int e = 0; e < g.neighbours()[i].length; e++) {
        degree[i] += g.weights()[i][e];
        if (g.neighbours()[i][e] == i) {
          self[i] += g.weights()[i][e];
        }
      }
      total += degree[i];
    }
    if (total == 0) {
      int[] alone = new int[n];
      for (int i = 0; i < n; i++) {
        alone[i] = i;
      }
      return alone;
    }
    int[] community = new int[n];
    double[] communityDegree = new double[n];
    for (int i = 0; i < n; i++) {
      community[i] = i;
      communityDegree[i] = degree[i];
    }
    double[] linkTo = new double[n];
    int[] touched = new int[n];
    boolean moved = true;
    for (int sweep = 0; moved && sweep < 50; sweep++) {
      moved = false;
      for (int visit = 0; visit < n; visit++) {
        int i = order[visit];
        int own = community[i];
        int touchedCount = 0;
        for (int e = 0; e < g.neighbours()[i].length; e++) {
          int j = g.neighbours()[i][e];
          if (j == i) {
            continue;
          }
          int c = community[j];
          if (linkTo[c] == 0) {
            touched[touchedCount++] = c;
          }
          linkTo[c] += g.weights()[i][e];
        }
        communityDegree[own] -= degree[i];
        double bestGain = linkTo[own] - resolution * communityDegree[own] * degree[i] / total;
        int best = own;
        for (int t = 0; t < touchedCount; t++) {
          int c = touched[t];
          double gain = linkTo[c] - resolution * communityDegree[c] * degree[i] / total;
          if (gain > bestGain + 1e-12 || (Math.abs(gain - bestGain) <= 1e-12 && c < best && gain > 0)) {
            bestGain = gain;
            best = c;
          }
        }
        communityDegree[best] += degree[i];
        if (best != own) {
          community[i] = best;
          moved = true;
        }
        for (int t = 0; t < touchedCount; t++) {
          linkTo[touched[t]] = 0;
        }
        linkTo[own] = 0;
      }
    }
    return community;
  }

  private static int renumber(int[] labels) {
    Map<Integer, Integer> ids = new HashMap<>();
    for (int i = 0; i < labels.length; i++) {
      labels[i] = ids.computeIfAbsent(labels[i], k -> ids.size());
    }
    return ids.size();
  }

  private static Graph aggregate(Graph g, int[] community, int count) {
    @SuppressWarnings("unchecked")
    Map<Integer, Double>[] edges = new Map[count];
    for (int c = 0; c < count; c++) {
      edges[c] = new HashMap<>();
    }
    for (int i = 0; i < g.size(); i++) {
      for (int e = 0; e < g.neighbours()[i].length; e++) {
        edges[community[i]].merge(community[g.neighbours()[i][e]], g.weights()[i][e], Double::sum);
      }
    }
    int[][] neighbours = new int[count][];
    double[][] weights = new double[count][];
    for (int c = 0; c < count; c++) {
      Map<Integer, Double> own = edges[c];
      int[] keys = own.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
      neighbours[c] = keys;
      weights[c] = Arrays.stream(keys).mapToDouble(own::get).toArray();
    }
    return new Graph(neighbours, weights);
  }
}
