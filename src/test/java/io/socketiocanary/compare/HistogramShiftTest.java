package io.socketiocanary.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Expected values by hand, checked against scipy.stats.mannwhitneyu(asymptotic, no continuity). */
class HistogramShiftTest {

  @Test
  void smallGroupedSamplesUseTheTieCorrectedVariance() {
    // before [3,1], after [1,3]: U = 3·3 + 0.5·(1·3 + 3·1) = 12, E = 8,
    // var = 16/12 · (9 − (60 + 60)/56) = 9.142857, z = 1.3229 → p = 0.18588
    HistogramShift.Result r = HistogramShift.compare(new double[] {3, 1}, new double[] {1, 3});
    assertThat(r.u()).isEqualTo(12);
    assertThat(r.expectedU()).isEqualTo(8);
    assertThat(r.pValue()).isCloseTo(0.18587673, within(1e-6));
    assertThat(r.direction()).isEqualTo(1);
  }

  @Test
  void aClearShiftUpIsSignificantAndPointsUp() {
    HistogramShift.Result r = HistogramShift.compare(new double[] {50, 10, 0}, new double[] {20, 30, 10});
    assertThat(r.u()).isEqualTo(2750);
    assertThat(r.pValue()).isCloseTo(1.1648e-8, within(1e-10));
    assertThat(r.direction()).isEqualTo(1);
  }

  @Test
  void aShiftDownPointsDown() {
    assertThat(HistogramShift.compare(new double[] {20, 30, 10}, new double[] {50, 10, 0}).direction()).isEqualTo(-1);
  }

  @Test
  void everythingInOneBucketIsNoEvidence() {
    assertThat(HistogramShift.compare(new double[] {0, 40}, new double[] {0, 25}).pValue()).isEqualTo(1);
  }

  @Test
  void fractionalCountsFromIncreaseAreRoundedToWholeObservations() {
    HistogramShift.Result r = HistogramShift.compare(new double[] {2.9, 1.2}, new double[] {0.8, 3.1});
    assertThat(r.u()).isEqualTo(12);
  }

  @Test
  void fewerThanTwentyObservationsInEitherWindowIsTooFew() {
    Histogram nineteen = new Histogram(new double[] {1, Double.POSITIVE_INFINITY}, new double[] {19, 19});
    Histogram twenty = new Histogram(new double[] {1, Double.POSITIVE_INFINITY}, new double[] {20, 20});
    assertThat(HistogramShift.tooFew(nineteen, twenty)).isTrue();
    assertThat(HistogramShift.tooFew(twenty, twenty)).isFalse();
  }
}
