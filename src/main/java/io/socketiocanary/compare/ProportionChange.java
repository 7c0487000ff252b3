package io.socketiocanary.compare;

/**
 * Compares two proportions, here the share of canary-time connected before and after.
 *
 * <p>Method: the pooled two-proportion z-test. The unit of observation is one canary-minute
 * (configured canaries × window minutes): finer units such as scrape samples are strongly
 * autocorrelated (a canary that is down now is down 15 s later) and would make any blip look
 * significant. Even minutes are not independent, which is why a verdict also needs a practical
 * change (see {@link Verdicts}). Stateless and thread-safe.
 */
public final class ProportionChange {
  /** Below this many canary-minutes in either window there is no verdict. */
  public static final double MIN_OBSERVATIONS = 20;

  private ProportionChange() {}

  /** Whether either window has fewer than {@link #MIN_OBSERVATIONS} canary-minutes. */
  public static boolean tooFew(double nBefore, double nAfter) {
    return nBefore < MIN_OBSERVATIONS || nAfter < MIN_OBSERVATIONS;
  }

  /**
   * Two-sided p-value for "the proportion did not change".
   *
   * @param pBefore proportion in the before window, 0–1
   * @param nBefore observations behind it
   * @param pAfter proportion in the after window, 0–1
   * @param nAfter observations behind it
   */
  public static double pValue(double pBefore, double nBefore, double pAfter, double nAfter) {
    double pooled = (pBefore * nBefore + pAfter * nAfter) / (nBefore + nAfter);
    double se = Math.sqrt(pooled * (1 - pooled) * (1 / nBefore + 1 / nAfter));
    if (se == 0 || Double.isNaN(se)) {
      return pBefore == pAfter ? 1 : 0;
    }
    return Distributions.twoSidedNormal((pAfter - pBefore) / se);
  }
}
