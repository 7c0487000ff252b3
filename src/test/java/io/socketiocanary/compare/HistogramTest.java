package io.socketiocanary.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HistogramTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void quantilesInterpolateInsideTheirBucketLikeHistogramQuantile() {
    Histogram h = new Histogram(new double[] {1, 2, 4, INF}, new double[] {10, 30, 40, 40});
    assertThat(h.quantile(0.5)).isCloseTo(1.5, within(1e-12)); // rank 20: 1 + 1·10/20
    assertThat(h.quantile(0.95)).isCloseTo(3.6, within(1e-12)); // rank 38: 2 + 2·8/10
    assertThat(h.quantile(0.1)).isCloseTo(0.4, within(1e-12)); // first bucket starts at 0
  }

  @Test
  void aRankInThePlusInfBucketAnswersWithTheLargestFiniteBound() {
    Histogram h = new Histogram(new double[] {1, 2, 4, INF}, new double[] {10, 30, 40, 50});
    assertThat(h.quantile(0.99)).isEqualTo(4);
  }

  @Test
  void noObservationsHaveNoQuantile() {
    assertThat(new Histogram(new double[] {1, INF}, new double[] {0, 0}).quantile(0.5)).isNaN();
  }

  @Test
  void bucketsFromPrometheusAreSortedMadeMonotonicAndSplitPerBucket() {
    Histogram h = Histogram.fromBuckets(Map.of(INF, 40.0, 1.0, 10.2, 2.0, 10.1));
    assertThat(h.upperBounds()).containsExactly(1, 2, INF);
    assertThat(h.perBucket()).containsExactly(10.2, 0, 29.8);
    assertThat(h.total()).isEqualTo(40);
  }

  @Test
  void aligningToMoreBoundsKeepsTheCountsOfTheBoundsBelow() {
    Histogram h = new Histogram(new double[] {1, INF}, new double[] {10, 40}).alignedTo(new double[] {0.5, 1, 2, INF});
    assertThat(h.cumulative()).containsExactly(0, 10, 10, 40);
  }
}
