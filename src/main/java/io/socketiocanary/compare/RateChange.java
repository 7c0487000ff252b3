package io.socketiocanary.compare;

/**
 * Compares two event counts observed over windows of possibly different length, such as
 * disconnects in the hour before and the 40 minutes after a rollout.
 *
 * <p>Method: the exact conditional test. If both windows share one Poisson rate, then given the
 * total n = k<sub>before</sub> + k<sub>after</sub>, k<sub>after</sub> ~ Binomial(n, p) with
 * p = T<sub>after</sub> / (T<sub>before</sub> + T<sub>after</sub>). The two-sided p-value sums
 * the probabilities of every outcome no more likely than the observed one (as R's
 * {@code binom.test} and {@code poisson.test} do). Exact for any count, so small counts need no
 * normal approximation. Stateless and thread-safe.
 */
public final class RateChange {
  /** Below this many events in both windows there is no verdict, only "too few samples". */
  public static final int MIN_EVENTS = 5;

  private RateChange() {}

  /** Whether the counts are too small to judge: fewer than {@link #MIN_EVENTS} in both windows. */
  public static boolean tooFew(long kBefore, long kAfter) {
    return kBefore < MIN_EVENTS && kAfter < MIN_EVENTS;
  }

  /**
   * Two-sided p-value for "the rate did not change".
   *
   * @param kBefore events in the before window
   * @param secondsBefore its length
   * @param kAfter events in the after window
   * @param secondsAfter its length
   */
  public static double pValue(long kBefore, double secondsBefore, long kAfter, double secondsAfter) {
    if (kBefore < 0 || kAfter < 0 || secondsBefore <= 0 || secondsAfter <= 0) {
      throw new IllegalArgumentException("counts must be ≥ 0 and windows > 0");
    }
    int n = Math.toIntExact(kBefore + kAfter);
    if (n == 0) {
      return 1;
    }
    double p = secondsAfter / (secondsBefore + secondsAfter);
    double observed = Distributions.logBinomialPmf((int) kAfter, n, p);
    // A relative tolerance, as binom.test uses, so outcomes exactly as likely as the observed
    // one are not lost to rounding.
    double threshold = observed + Math.log1p(1e-7);
    double sum = 0;
    for (int k = 0; k <= n; k++) {
      double log = Distributions.logBinomialPmf(k, n, p);
      if (log <= threshold) {
        sum += Math.exp(log);
      }
    }
    return Math.min(1, sum);
  }
}
