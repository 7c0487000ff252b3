package io.socketiocanary.compare;

/**
 * The two special functions the tests need, in plain Java so the agent takes no statistics
 * library: the log-gamma function (binomial coefficients of large counts) and the standard normal
 * tail. Stateless and thread-safe.
 */
final class Distributions {
  private static final double[] LANCZOS = {
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7
  };

  private Distributions() {}

  /** ln Γ(x) for x &gt; 0 (Lanczos, g = 7; relative error about 1e-15). */
  static double logGamma(double x) {
    if (x < 0.5) {
      // Reflection keeps the approximation in its accurate range.
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    x -= 1;
    double a = LANCZOS[0];
    double t = x + 7.5;
    for (int i = 1; i < LANCZOS.length; i++) {
      a += LANCZOS[i] / (x + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
  }

  /** ln of the binomial probability P(X = k) for X ~ Bin(n, p). */
  static double logBinomialPmf(int k, int n, double p) {
    if (p <= 0) {
      return k == 0 ? 0 : Double.NEGATIVE_INFINITY;
    }
    if (p >= 1) {
      return k == n ? 0 : Double.NEGATIVE_INFINITY;
    }
    return logGamma(n + 1.0) - logGamma(k + 1.0) - logGamma(n - k + 1.0)
        + k * Math.log(p) + (n - k) * Math.log1p(-p);
  }

  /** Two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|) = erfc(|z| / √2). */
  static double twoSidedNormal(double z) {
    return Math.min(1, erfc(Math.abs(z) / Math.sqrt(2)));
  }

  /** Complementary error function (Numerical Recipes' erfcc, fractional error below 1.2e-7). */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }
}
