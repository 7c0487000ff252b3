package io.socketiocanary.compare;

/**
 * The rule that turns a test result into a verdict: a change counts only when it is both
 * statistically significant (p &lt; {@link #ALPHA}) and large enough to matter (at least
 * {@link #MIN_RELATIVE_CHANGE} relative). Each row is tested on its own at that level; with many
 * rows, expect about one false "significant" in twenty unchanged figures, which the practical
 * threshold mostly absorbs. Stateless and thread-safe.
 */
public final class Verdicts {
  /** Significance level of every test. */
  public static final double ALPHA = 0.05;
  /** Smallest relative change reported as better or worse: 10 %. */
  public static final double MIN_RELATIVE_CHANGE = 0.10;

  private Verdicts() {}

  /**
   * @param higherIsWorse true for disconnect rates and durations, false for lifetimes
   */
  public static Verdict judge(double pValue, double before, double after, boolean higherIsWorse) {
    if (pValue >= ALPHA || Math.abs(relativeChange(before, after)) < MIN_RELATIVE_CHANGE) {
      return Verdict.NO_CHANGE;
    }
    return (after > before) == higherIsWorse ? Verdict.WORSE : Verdict.BETTER;
  }

  /** (after − before) / before; ±infinity from zero, 0 when both are zero. */
  public static double relativeChange(double before, double after) {
    if (before == 0) {
      return after == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, after);
    }
    return (after - before) / Math.abs(before);
  }
}
