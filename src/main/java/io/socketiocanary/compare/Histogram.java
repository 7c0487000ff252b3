package io.socketiocanary.compare;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Observations of one window in Prometheus histogram buckets: ascending upper bounds (the last is
 * +Inf) and the number of observations at or below each. Immutable and thread-safe.
 *
 * @param upperBounds ascending bucket bounds, the last {@code +Inf}
 * @param cumulative observations ≤ each bound (what {@code increase(..._bucket[w])} gives)
 */
public record Histogram(double[] upperBounds, double[] cumulative) {

  public Histogram {
    if (upperBounds.length != cumulative.length || upperBounds.length == 0) {
      throw new IllegalArgumentException("one count per bound, at least one bucket");
    }
    upperBounds = upperBounds.clone();
    cumulative = cumulative.clone();
    // increase() extrapolates each bucket on its own, so neighbours can be out of order by a hair.
    for (int i = 1; i < cumulative.length; i++) {
      cumulative[i] = Math.max(cumulative[i], cumulative[i - 1]);
    }
  }

  /** From {@code le} label value → cumulative count, as a Prometheus query returns them. */
  public static Histogram fromBuckets(Map<Double, Double> byUpperBound) {
    TreeMap<Double, Double> sorted = new TreeMap<>(byUpperBound);
    if (sorted.isEmpty() || sorted.lastKey() != Double.POSITIVE_INFINITY) {
      sorted.put(Double.POSITIVE_INFINITY, sorted.isEmpty() ? 0 : sorted.lastEntry().getValue());
    }
    double[] bounds = sorted.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    double[] counts = sorted.values().stream().mapToDouble(Double::doubleValue).toArray();
    return new Histogram(bounds, counts);
  }

  /** All observations in the window. */
  public double total() {
    return cumulative[cumulative.length - 1];
  }

  /** Observations per bucket (not cumulative), clamped at zero. */
  public double[] perBucket() {
    double[] out = new double[cumulative.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.max(0, cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]));
    }
    return out;
  }

  /**
   * The q-quantile the way PromQL's {@code histogram_quantile} computes it: linear interpolation
   * inside the bucket that holds rank q·total, the first bucket starting at 0, and a rank in the
   * +Inf bucket answered with the largest finite bound. NaN when there are no observations.
   */
  public double quantile(double q) {
    double total = total();
    if (total <= 0 || upperBounds.length < 2) {
      return Double.NaN;
    }
    double rank = q * total;
    int i = 0;
    while (i < cumulative.length - 1 && cumulative[i] < rank) {
      i++;
    }
    if (i == upperBounds.length - 1) {
      return upperBounds[upperBounds.length - 2];
    }
    double lower = i == 0 ? 0 : upperBounds[i - 1];
    double below = i == 0 ? 0 : cumulative[i - 1];
    double inBucket = cumulative[i] - below;
    if (inBucket <= 0) {
      return upperBounds[i];
    }
    return lower + (upperBounds[i] - lower) * (rank - below) / inBucket;
  }

  /** The same bounds as {@code other}, filling missing ones from the next lower bound's count. */
  Histogram alignedTo(double[] bounds) {
    double[] counts = new double[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      int idx = Arrays.binarySearch(upperBounds, bounds[i]);
      counts[i] = idx >= 0 ? cumulative[idx] : (-idx - 2 >= 0 ? cumulative[-idx - 2] : 0);
    }
    return new Histogram(bounds, counts);
  }
}
