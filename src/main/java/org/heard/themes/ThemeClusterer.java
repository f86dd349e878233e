package org.heard.themes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Groups comments into themes. Each comment is a sentence vector (may be absent) plus a TF-IDF
 * vector over its normalised terms and key phrases; similarity is a weighted sum of the two
 * cosines. With no number of themes given, a k-nearest-neighbour graph is split into communities
 * (the consensus of several Louvain runs) and communities too small to be a theme go to "other"
 * unless close to a theme; with k given, the resolution is searched until there are k communities. Large inputs are clustered on a
 * seeded sample and the rest assigned to the nearest theme. Pure and deterministic: same input, same output.
 */
public final class ThemeClusterer {
  public static final int OTHER = -1;

  /** One comment's features. {@code vector} is a unit vector or null. */
  public record Comment(float[] vector, List<String> terms, List<String> phrases) {
  }

  /** Tuning, chosen by measurement (see README "Themes"). */
  public record Settings(double embeddingWeight, int neighbours, double resolution, int minThemeSize,
                         double minThemeShare, double otherBelow, double mergeAbove, int sampleLimit, long seed,
                         int maxThemes, Integer fixedThemes, int runs) {
    public static Settings defaults() {
      return new Settings(number("weight", 0.85), (int) number("neighbours", 25), number("resolution", 2.0),
          (int) number("minsize", 3), number("minshare", 0.015), number("otherbelow", 0.25), number("mergeabove", 0.3),
          3000, 20261128L, MAX_THEMES, null, (int) number("runs", 20));
    }

    /** The same with at most {@code max} themes when Heard chooses how many (a board reads about 20). */
    public Settings withMaxThemes(int max) {
      return new Settings(embeddingWeight, neighbours, resolution, minThemeSize, minThemeShare, otherBelow, mergeAbove,
          sampleLimit, seed, max, fixedThemes, runs);
    }

    /** The same with exactly {@code k} themes per language (for measuring against labels), or chosen when null. */
    public Settings withFixedThemes(Integer k) {
      return new Settings(embeddingWeight, neighbours, resolution, minThemeSize, minThemeShare, otherBelow, mergeAbove,
          sampleLimit, seed, maxThemes, k, runs);
    }

    /** Each setting can be overridden with -Dheard.themes.NAME for measuring alternatives. */
    private static double number(String name, double fallback) {
      String value = System.getProperty("heard.themes." + name);
      return value == null ? fallback : Double.parseDouble(value);
    }
  }

  /** Assignment per comment ({@link #OTHER} for none) and the feature space, for labels and centroids. */
  public record Result(int[] theme, int themes, Features features) {
  }

  private final Settings settings;

  public ThemeClusterer(Settings settings) {
    this.settings = settings;
  }

  public Result cluster(List<Comment> comments, Integer fixedThemes) {
    Features features = Features.of(comments, settings.embeddingWeight);
    int n = comments.size();
    if (n == 0) {
      return new Result(new int[0], 0, features);
    }
    // The neighbour graph is quadratic in the comments, so large inputs are clustered on a sample.
    int[] sample = sample(n, fixedThemes == null ? settings.sampleLimit : FIXED_LIMIT);
    int[] sampleTheme = fixedThemes == null ? graphThemes(features, sample) : fixedThemes(features, sample, fixedThemes);
    int themes = Arrays.stream(sampleTheme).max().orElse(-1) + 1;
    float[][] centroids = centroids(features, sample, sampleTheme, themes);
    int[] theme = new int[n];
    Arrays.fill(theme, OTHER);
    for (int s = 0; s < sample.length; s++) {
      theme[sample[s]] = sampleTheme[s];
    }
    if (sample.length < n) {
      boolean[] inSample = new boolean[n];
      for (int i : sample) {
        inSample[i] = true;
      }
      for (int i = 0; i < n; i++) {
        if (!inSample[i]) {
          theme[i] = nearest(features, i, centroids, fixedThemes == null ? settings.otherBelow : -2);
        }
      }
    }
    return new Result(theme, themes, features);
  }

  private static final int FIXED_LIMIT = 12_000;
  /** Themes a board can take in at one meeting; more are merged, closest first. */
  static final int MAX_THEMES = 20;

  private int[] sample(int n, int limit) {
    if (n <= limit) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    // Seeded reservoir of indexes, kept in index order.
    SplittableRandom random = new SplittableRandom(settings.seed);
    int[] chosen = new int[limit];
    for (int i = 0; i < n; i++) {
      if (i < chosen.length) {
        chosen[i] = i;
      } else {
        int j = random.nextInt(i + 1);
        if (j < chosen.length) {
          chosen[j] = i;
        }
      }
    }
    Arrays.sort(chosen);
    return chosen;
  }

  /** Louvain on a symmetric kNN graph, then small communities go to "other". */
  private int[] graphThemes(Features f, int[] sample) {
    Louvain.Graph graph = neighbourGraph(f, sample);
    int[] community = Louvain.consensus(graph, settings.resolution, settings.runs, settings.seed);
    int m = sample.length;
    int minSize = Math.max(settings.minThemeSize, (int) Math.ceil(settings.minThemeShare * m));
    int[] theme = mergeClose(f, sample, bySize(community, minSize, Integer.MAX_VALUE));
    int themes = Arrays.stream(theme).max().orElse(-1) + 1;
    // Members of small communities join the nearest real theme when they are close enough to it.
    float[][] centroids = centroids(f, sample, theme, themes);
    for (int a = 0; a < m; a++) {
      if (theme[a] == OTHER) {
        theme[a] = nearest(f, sample[a], centroids, settings.otherBelow);
      }
    }
    return theme;
  }

  /**
   * Exactly k themes: the resolution is searched until the graph has about k communities, the k
   * largest seed the themes, and spherical k-means refines them (everyone is assigned; no "other").
   */
  private int[] fixedThemes(Features f, int[] sample, int k) {
    int m = sample.length;
    k = Math.min(k, m);
    Louvain.Graph graph = neighbourGraph(f, sample);
    double low = 0.1;
    double high = 50;
    int[] best = null;
    int bestGap = Integer.MAX_VALUE;
    for (int step = 0; step < 14; step++) {
      double resolution = Math.sqrt(low * high);
      int[] community = Louvain.communities(graph, resolution);
      int[] sized = bySize(community, 2, Integer.MAX_VALUE);
      int count = Arrays.stream(sized).max().orElse(-1) + 1;
      if (Math.abs(count - k) < bestGap || (count >= k && bestGap > 0 && count - k <= bestGap)) {
        bestGap = Math.abs(count - k);
        best = sized;
      }
      if (count == k) {
        break;
      } else if (count < k) {
        low = resolution;
      } else {
        high = resolution;
      }
    }
    int[] theme = new int[m];
    for (int a = 0; a < m; a++) {
      theme[a] = best[a] < k ? best[a] : OTHER;
    }
    int seeded = Math.min(k, Arrays.stream(theme).max().orElse(-1) + 1);
    float[][] centroids = new float[k][];
    float[][] seeds = centroids(f, sample, theme, seeded);
    System.arraycopy(seeds, 0, centroids, 0, seeded);
    if (seeded < k) {
      // Too few communities: the least well-served comments seed the rest, each new seed updating
      // every comment's best similarity once (linear in k, not quadratic).
      double[] bestSim = new double[m];
      Arrays.fill(bestSim, Double.NEGATIVE_INFINITY);
      for (int c = 0; c < seeded; c++) {
        closer(f, sample, centroids[c], bestSim);
      }
      for (int c = seeded; c < k; c++) {
        int worst = 0;
        for (int a = 1; a < m; a++) {
          if (bestSim[a] < bestSim[worst]) {
            worst = a;
          }
        }
        centroids[c] = f.dense(sample[worst]);
        closer(f, sample, centroids[c], bestSim);
      }
    }
    // Communities are the themes (k-means refinement measured worse); comments outside the k
    // largest go to their nearest theme.
    for (int a = 0; a < m; a++) {
      if (theme[a] == OTHER) {
        theme[a] = nearest(f, sample[a], centroids, -2);
      }
    }
    return theme;
  }

  private static void closer(Features f, int[] sample, float[] centroid, double[] bestSim) {
    for (int a = 0; a < sample.length; a++) {
      bestSim[a] = Math.max(bestSim[a], f.similarity(sample[a], centroid));
    }
  }

  /**
   * Merges themes whose centres are closer than {@code mergeAbove} (closest pair first), and then
   * while there are more than {@link Settings#maxThemes}: the graph splits one concern written in
   * different words into several communities as comments grow.
   */
  private int[] mergeClose(Features f, int[] sample, int[] theme) {
    int themes = Arrays.stream(theme).max().orElse(-1) + 1;
    while (themes > 1) {
      float[][] centroids = centroids(f, sample, theme, themes);
      int bestA = -1;
      int bestB = -1;
      // Above the most a board can read, the closest pair merges whatever its similarity.
      double best = themes > settings.maxThemes ? Double.NEGATIVE_INFINITY : settings.mergeAbove;
      for (int a = 0; a < themes; a++) {
        for (int b = a + 1; b < themes; b++) {
          double s = 0;
          for (int d = 0; d < centroids[a].length; d++) {
            s += centroids[a][d] * centroids[b][d];
          }
          if (s > best) {
            best = s;
            bestA = a;
            bestB = b;
          }
        }
      }
      if (bestA < 0) {
        break;
      }
      for (int i = 0; i < theme.length; i++) {
        if (theme[i] == bestB) {
          theme[i] = bestA;
        }
      }
      theme = bySize(theme, 1, Integer.MAX_VALUE);
      themes--;
    }
    return theme;
  }

  /**
   * Communities numbered by size (largest first, ties by first appearance); those under minSize are
   * OTHER, and so stays anything already OTHER (after a merge, say).
   */
  private static int[] bySize(int[] community, int minSize, int max) {
    int communities = Arrays.stream(community).max().orElse(-1) + 1;
    int[] size = new int[communities];
    for (int c : community) {
      if (c >= 0) {
        size[c]++;
      }
    }
    Integer[] order = new Integer[communities];
    for (int c = 0; c < communities; c++) {
      order[c] = c;
    }
    Arrays.sort(order, (x, y) -> size[y] != size[x] ? Integer.compare(size[y], size[x]) : Integer.compare(x, y));
    int[] renumber = new int[communities];
    int next = 0;
    for (Integer c : order) {
      renumber[c] = size[c] >= minSize && next < max ? next++ : OTHER;
    }
    int[] theme = new int[community.length];
    for (int a = 0; a < community.length; a++) {
      theme[a] = community[a] < 0 ? OTHER : renumber[community[a]];
    }
    return theme;
  }

  /** Symmetric k-nearest-neighbour graph weighted by similarity (rows computed in parallel). */
  private Louvain.Graph neighbourGraph(Features f, int[] sample) {
    int m = sample.length;
    int k = Math.min(settings.neighbours, m - 1);
    int[][] nearest = new int[m][];
    double[][] nearestSim = new double[m][];
    IntStream.range(0, m).parallel().forEach(a -> {
      double[] row = new double[m];
      for (int b = 0; b < m; b++) {
        row[b] = a == b ? Double.NEGATIVE_INFINITY : f.similarity(sample[a], sample[b]);
      }
      int[] top = topK(row, k);
      nearest[a] = top;
      nearestSim[a] = Arrays.stream(top).mapToDouble(b -> row[b]).toArray();
    });
    List<Map<Integer, Double>> edges = new ArrayList<>();
    for (int a = 0; a < m; a++) {
      edges.add(new HashMap<>());
    }
    for (int a = 0; a < m; a++) {
      for (int e = 0; e < nearest[a].length; e++) {
        double w = Math.max(0, nearestSim[a][e]);
        int b = nearest[a][e];
        edges.get(a).merge(b, w, Math::max);
        edges.get(b).merge(a, w, Math::max);
      }
    }
    int[][] neighbours = new int[m][];
    double[][] weights = new double[m][];
    for (int a = 0; a < m; a++) {
      Map<Integer, Double> e = edges.get(a);
      neighbours[a] = e.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
      weights[a] = Arrays.stream(neighbours[a]).mapToDouble(e::get).toArray();
    }
    return new Louvain.Graph(neighbours, weights);
  }

  /** The k largest entries' indexes, best first (ties: lower index first). */
  private static int[] topK(double[] row, int k) {
    int[] top = new int[k];
    int filled = 0;
    for (int i = 0; i < row.length; i++) {
      if (filled < k || row[i] > row[top[filled - 1]]) {
        int at = filled < k ? filled++ : k - 1;
        while (at > 0 && row[top[at - 1]] < row[i]) {
          top[at] = top[at - 1];
          at--;
        }
        top[at] = i;
      }
    }
    return top;
  }

  /** Normalised mean of each theme's members in the joint space (null for an empty theme). */
  static float[][] centroids(Features f, int[] members, int[] theme, int themes) {
    float[][] centroids = new float[themes][];
    for (int a = 0; a < members.length; a++) {
      if (theme[a] < 0) {
        continue;
      }
      if (centroids[theme[a]] == null) {
        centroids[theme[a]] = new float[f.width()];
      }
      f.addTo(members[a], centroids[theme[a]]);
    }
    for (float[] centroid : centroids) {
      if (centroid != null) {
        Features.normalise(centroid);
      }
    }
    return centroids;
  }

  /** The most similar centroid, or OTHER when even that one is below {@code threshold}. */
  static int nearest(Features f, int item, float[][] centroids, double threshold) {
    int best = OTHER;
    double bestSim = threshold;
    for (int c = 0; c < centroids.length; c++) {
      if (centroids[c] == null) {
        continue;
      }
      double s = f.similarity(item, centroids[c]);
      if (s > bestSim) {
        bestSim = s;
        best = c;
      }
    }
    return best;
  }
}
