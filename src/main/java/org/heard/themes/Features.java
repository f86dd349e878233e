package org.heard.themes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The joint feature space themes are found in: each comment is its unit sentence vector scaled by
 * sqrt(w) next to its unit TF-IDF vector (terms and multi-word key phrases, sublinear tf, smoothed
 * idf, features in at least two comments) scaled by sqrt(1 - w). A dot product in this space is
 * w * (sentence cosine) + (1 - w) * (lexical cosine). Without sentence vectors, w is 0.
 */
final class Features {
  private final float[][] vectors;
  private final int[][] lexicalIndex;
  private final float[][] lexicalValue;
  private final List<String> vocabulary;
  private final double[] idf;
  private final float vectorScale;
  private final float lexicalScale;
  private final int dimensions;
  private float[] mean;

  private Features(float[][] vectors, int[][] lexicalIndex, float[][] lexicalValue, List<String> vocabulary,
                   double[] idf, double weight, int dimensions) {
    this.vectors = vectors;
    this.lexicalIndex = lexicalIndex;
    this.lexicalValue = lexicalValue;
    this.vocabulary = vocabulary;
    this.idf = idf;
    this.vectorScale = (float) Math.sqrt(weight);
    this.lexicalScale = (float) Math.sqrt(1 - weight);
    this.dimensions = dimensions;
  }

  static Features of(List<ThemeClusterer.Comment> comments, double embeddingWeight) {
    int n = comments.size();
    boolean withVectors = n > 0 && comments.stream().allMatch(c -> c.vector() != null);
    int dimensions = withVectors ? comments.get(0).vector().length : 0;
    Map<String, Integer> df = new HashMap<>();
    for (ThemeClusterer.Comment comment : comments) {
      features(comment).keySet().forEach(term -> df.merge(term, 1, Integer::sum));
    }
    // Sorted vocabulary: the index of a feature never depends on hash order.
    TreeMap<String, Integer> kept = new TreeMap<>();
    df.forEach((term, count) -> {
      if (count >= 2 && count < n) {
        kept.put(term, count);
      }
    });
    Map<String, Integer> index = new HashMap<>();
    List<String> vocabulary = List.copyOf(kept.keySet());
    double[] idf = new double[vocabulary.size()];
    for (int i = 0; i < vocabulary.size(); i++) {
      index.put(vocabulary.get(i), i);
      idf[i] = Math.log((1.0 + n) / (1.0 + kept.get(vocabulary.get(i)))) + 1;
    }
    float[] mean = withVectors ? mean(comments, dimensions) : null;
    int[][] lexicalIndex = new int[n][];
    float[][] lexicalValue = new float[n][];
    float[][] vectors = new float[n][];
    for (int i = 0; i < n; i++) {
      TreeMap<Integer, Double> weights = new TreeMap<>();
      features(comments.get(i)).forEach((term, tf) -> {
        Integer at = index.get(term);
        if (at != null) {
          weights.put(at, (1 + Math.log(tf)) * idf[at]);
        }
      });
      double norm = Math.sqrt(weights.values().stream().mapToDouble(w -> w * w).sum());
      lexicalIndex[i] = weights.keySet().stream().mapToInt(Integer::intValue).toArray();
      lexicalValue[i] = new float[lexicalIndex[i].length];
      int j = 0;
      for (double w : weights.values()) {
        lexicalValue[i][j++] = (float) (w / norm);
      }
      vectors[i] = withVectors ? centre(comments.get(i).vector(), mean) : null;
    }
    Features features = new Features(vectors, lexicalIndex, lexicalValue, vocabulary, idf,
        withVectors ? embeddingWeight : 0, dimensions);
    features.mean = mean;
    return features;
  }

  /**
   * The mean sentence vector. Comments to one survey share a topic, and that shared direction
   * dominates raw cosines; taking it out (see {@link #centre}) leaves what tells comments apart.
   * {@code -Dheard.themes.centre=false} keeps raw vectors, for measuring.
   */
  private static float[] mean(List<ThemeClusterer.Comment> comments, int dimensions) {
    float[] mean = new float[dimensions];
    if (!Boolean.parseBoolean(System.getProperty("heard.themes.centre", "true"))) {
      return mean;
    }
    double[] sum = new double[dimensions];
    for (ThemeClusterer.Comment comment : comments) {
      for (int d = 0; d < dimensions; d++) {
        sum[d] += comment.vector()[d];
      }
    }
    for (int d = 0; d < dimensions; d++) {
      mean[d] = (float) (sum[d] / comments.size());
    }
    return mean;
  }

  /** {@code vector} minus {@code mean}, renormalised, in place (the caller's copy). */
  static float[] centre(float[] vector, float[] mean) {
    if (vector == null || mean == null) {
      return vector;
    }
    double norm = 0;
    for (int d = 0; d < vector.length; d++) {
      vector[d] -= mean[d];
      norm += vector[d] * vector[d];
    }
    float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
    for (int d = 0; d < vector.length; d++) {
      vector[d] *= scale;
    }
    return vector;
  }

  /** Term frequencies: normalised words, plus each multi-word key phrase as one feature. */
  static Map<String, Integer> features(ThemeClusterer.Comment comment) {
    Map<String, Integer> tf = new HashMap<>();
    for (String term : comment.terms()) {
      tf.merge(term, 1, Integer::sum);
    }
    for (String phrase : comment.phrases()) {
      if (phrase.indexOf(' ') > 0) {
        tf.merge(phrase, 1, Integer::sum);
      }
    }
    return tf;
  }

  int width() {
    return dimensions + vocabulary.size();
  }

  List<String> vocabulary() {
    return vocabulary;
  }

  double idf(int feature) {
    return idf[feature];
  }

  double similarity(int a, int b) {
    double s = 0;
    if (vectors[a] != null) {
      float[] x = vectors[a];
      float[] y = vectors[b];
      double dot = 0;
      for (int d = 0; d < x.length; d++) {
        dot += x[d] * y[d];
      }
      s += vectorScale * vectorScale * dot;
    }
    int[] ia = lexicalIndex[a];
    int[] ib = lexicalIndex[b];
    float[] va = lexicalValue[a];
    float[] vb = lexicalValue[b];
    double lexical = 0;
    for (int i = 0, j = 0; i < ia.length && j < ib.length; ) {
      if (ia[i] == ib[j]) {
        lexical += va[i++] * vb[j++];
      } else if (ia[i] < ib[j]) {
        i++;
      } else {
        j++;
      }
    }
    return s + lexicalScale * lexicalScale * lexical;
  }

  /** Dot product of an item with a point of the joint space (a centroid). */
  double similarity(int item, float[] point) {
    double s = 0;
    if (vectors[item] != null) {
      float[] x = vectors[item];
      for (int d = 0; d < dimensions; d++) {
        s += vectorScale * x[d] * point[d];
      }
    }
    int[] index = lexicalIndex[item];
    float[] value = lexicalValue[item];
    for (int i = 0; i < index.length; i++) {
      s += lexicalScale * value[i] * point[dimensions + index[i]];
    }
    return s;
  }

  /** The item as a dense point of the joint space. */
  float[] dense(int item) {
    float[] point = new float[width()];
    addTo(item, point);
    return point;
  }

  void addTo(int item, float[] point) {
    if (vectors[item] != null) {
      for (int d = 0; d < dimensions; d++) {
        point[d] += vectorScale * vectors[item][d];
      }
    }
    int[] index = lexicalIndex[item];
    for (int i = 0; i < index.length; i++) {
      point[dimensions + index[i]] += lexicalScale * lexicalValue[item][i];
    }
  }

  static void normalise(float[] point) {
    double norm = 0;
    for (float v : point) {
      norm += v * v;
    }
    if (norm > 0) {
      float scale = (float) (1 / Math.sqrt(norm));
      for (int d = 0; d < point.length; d++) {
        point[d] *= scale;
      }
    }
  }

  int dimensions() {
    return dimensions;
  }

  /** An item's centred sentence vector (null without vectors). */
  float[] vector(int item) {
    return vectors[item];
  }

  /** The mean taken out of every sentence vector (null without vectors). */
  float[] mean() {
    return mean;
  }
}
