package io.socketiocanary.compare;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Rows for quantiles of one histogram of one fleet: one Mann-Whitney test on the bucket counts
 * (see {@link HistogramShift}) decides whether the distribution moved; each quantile row is better or
 * worse only if that test is significant, the quantile moved at least
 * {@link Verdicts#MIN_RELATIVE_CHANGE}, and in the same direction as the test. Stateless.
 */
final class QuantileRows {
  private QuantileRows() {}

  /**
   * @param name figure name without the quantile, e.g. "reconnect"
   * @param before the before window's histogram, null when it had none
   * @param after the after window's histogram, null when it had none
   */
  static void add(FleetKey fleet, String name, List<Double> quantiles, boolean higherIsWorse,
      Histogram before, Histogram after, Consumer<Row> out) {
    if (before == null && after == null) {
      out.accept(new Row(fleet.target(), fleet.transport(), name, "", "s", Double.NaN, Double.NaN, Double.NaN,
          Verdict.NOT_AVAILABLE, "not exported"));
      return;
    }
    double[] common = commonBounds(before, after);
    Histogram b = before == null ? new Histogram(common, new double[common.length]) : before.alignedTo(common);
    Histogram a = after == null ? new Histogram(common, new double[common.length]) : after.alignedTo(common);
    String counts = String.format("n=%.0f vs %.0f", b.total(), a.total());
    boolean tooFew = HistogramShift.tooFew(b, a);
    HistogramShift.Result test = tooFew ? null : HistogramShift.compare(b.perBucket(), a.perBucket());
    for (double q : quantiles) {
      double qb = b.quantile(q);
      double qa = a.quantile(q);
      String figure = name + " p" + Math.round(q * 100);
      if (tooFew) {
        out.accept(new Row(fleet.target(), fleet.transport(), figure, "", "s", qb, qa, Double.NaN,
            Verdict.TOO_FEW_SAMPLES, counts + ", need " + (int) HistogramShift.MIN_OBSERVATIONS + " each"));
        continue;
      }
      Verdict verdict = Verdicts.judge(test.pValue(), qb, qa, higherIsWorse);
      if (verdict != Verdict.NO_CHANGE && Integer.signum(Double.compare(qa, qb)) != test.direction()) {
        verdict = Verdict.NO_CHANGE; // the quantile moved against the distribution as a whole
      }
      out.accept(new Row(fleet.target(), fleet.transport(), figure, "", "s", qb, qa, test.pValue(), verdict, counts));
    }
  }

  /**
   * The bounds both windows have. Agents in compact and full mode ({@code canary.metrics.detail})
   * export different buckets, compact's a subset of full's; a window of each (the mode changed at
   * the rollout, or A and B run different modes) is judged on the compact ones. Filling a bound one
   * side lacks from the bound below would move its observations up a bucket and fake a shift.
   */
  static double[] commonBounds(Histogram before, Histogram after) {
    TreeSet<Double> bounds = new TreeSet<>();
    bounds.add(Double.POSITIVE_INFINITY);
    if (before == null || after == null) {
      Arrays.stream((before == null ? after : before).upperBounds()).forEach(bounds::add);
    } else {
      TreeSet<Double> theirs = new TreeSet<>();
      Arrays.stream(after.upperBounds()).forEach(theirs::add);
      Arrays.stream(before.upperBounds()).filter(theirs::contains).forEach(bounds::add);
    }
    return bounds.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
