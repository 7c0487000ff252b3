package io.socketiocanary.compare;

import java.util.Arrays;
import java.util.stream.DoubleStream;

/**
 * Compares two histograms with the same buckets: did the observations (reconnect durations,
 * lifetimes) shift up or down?
 *
 * <p>Method: the Mann-Whitney U test on grouped data. Buckets are ordered categories; every
 * observation in a bucket ties with the others in it, so the variance uses the tie correction
 * and the p-value the normal approximation (fine from about 20 observations per side, which
 * {@link #MIN_OBSERVATIONS} enforces). Limits: a shift inside one bucket is invisible, and
 * observations beyond the last finite bound all tie in +Inf. Counts are rounded to whole
 * observations because {@code increase()} extrapolates to fractions. Stateless and thread-safe.
 */
public final class HistogramShift {
  /** Below this many observations in either window there is no verdict. */
  public static final double MIN_OBSERVATIONS = 20;

  /** The outcome: p-value and which way the after window moved. */
  public record Result(double pValue, double u, double expectedU) {
    /** +1 when after tends to be larger than before, −1 smaller, 0 neither. */
    public int direction() {
      return Double.compare(u, expectedU);
    }
  }

  private HistogramShift() {}

  /** Whether either histogram holds fewer than {@link #MIN_OBSERVATIONS} observations. */
  public static boolean tooFew(Histogram before, Histogram after) {
    return before.total() < MIN_OBSERVATIONS || after.total() < MIN_OBSERVATIONS;
  }

  /** The test on per-bucket (not cumulative) counts of the same ordered buckets. */
  public static Result compare(double[] beforeCounts, double[] afterCounts) {
    if (beforeCounts.length != afterCounts.length) {
      throw new IllegalArgumentException("both histograms need the same buckets");
    }
    double[] b = Arrays.stream(beforeCounts).map(Math::rint).toArray();
    double[] a = Arrays.stream(afterCounts).map(Math::rint).toArray();
    double n1 = DoubleStream.of(b).sum();
    double n2 = DoubleStream.of(a).sum();
    double n = n1 + n2;
    double u = 0;
    double beforeBelow = 0;
    double ties = 0;
    for (int i = 0; i < a.length; i++) {
      // An after observation beats every before observation in lower buckets, ties half with its own.
      u += a[i] * (beforeBelow + 0.5 * b[i]);
      beforeBelow += b[i];
      double t = a[i] + b[i];
      ties += t * t * t - t;
    }
    double expected = n1 * n2 / 2;
    if (n1 == 0 || n2 == 0) {
      return new Result(1, u, expected);
    }
    double variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)));
    if (variance <= 0) {
      return new Result(1, u, expected);
    }
    return new Result(Distributions.twoSidedNormal((u - expected) / Math.sqrt(variance)), u, expected);
  }
}
