package org.heard.digest;

/** The Wilson score interval for a proportion (95%): honest at small n and near 0 or 1. */
final class Wilson {
  private static final double Z = 1.959963984540054;

  private Wilson() {
  }

  /** {low, high} for {@code successes} out of {@code n}; {0, 1} when n is 0. */
  static double[] interval(long successes, long n) {
    if (n == 0) {
      return new double[] {0, 1};
    }
    double p = successes / (double) n;
    double z2 = Z * Z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denominator;
    double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }
}
