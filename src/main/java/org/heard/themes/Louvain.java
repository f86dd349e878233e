package org.heard.themes;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Louvain community detection (Blondel et al. 2008) on a weighted undirected graph, with a
 * resolution parameter. Deterministic: nodes are visited in index order, ties keep the lower
 * community, so the same graph always gives the same communities.
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
    int n = graph.size();
    int[] membership = new int[n];
    for (int i = 0; i < n; i++) {
      membership[i] = i;
    }
    Graph level = graph;
    for (int pass = 0; pass < 20; pass++) {
      int[] local = onePass(level, resolution);
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

  private static int[] onePass(Graph g, double resolution) {
    int n = g.size();
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
      for (int i = 0; i < n; i++) {
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
