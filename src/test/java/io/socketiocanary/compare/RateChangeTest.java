package io.socketiocanary.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Expected values computed by hand and checked against R's binom.test / scipy.stats.binomtest. */
class RateChangeTest {

  @Test
  void twoVersusTenInEqualWindowsIsSignificantWithTheExactTwoSidedPValue() {
    // P(X ≥ 10 | n=12, p=1/2) = (66 + 12 + 1) / 4096; two-sided by symmetry: 158 / 4096.
    assertThat(RateChange.pValue(2, 3600, 10, 3600)).isCloseTo(158.0 / 4096, within(1e-12));
  }

  @Test
  void aShorterAfterWindowShiftsTheExpectedShareOfEvents() {
    // Half as long after: p = 1/3; five of five after is (1/3)^5, and no outcome is less likely.
    assertThat(RateChange.pValue(0, 3600, 5, 1800)).isCloseTo(1.0 / 243, within(1e-12));
  }

  @Test
  void equalCountsInEqualWindowsGiveOne() {
    assertThat(RateChange.pValue(30, 3600, 30, 3600)).isCloseTo(1, within(1e-9));
  }

  @Test
  void largeCountsStayAccurate() {
    // scipy.stats.binomtest(60, 70, 0.5).pvalue
    assertThat(RateChange.pValue(10, 3600, 60, 3600)).isCloseTo(8.004823399455647e-10, within(1e-15));
  }

  @Test
  void noEventsAtAllIsNoEvidence() {
    assertThat(RateChange.pValue(0, 3600, 0, 600)).isEqualTo(1);
  }

  @Test
  void fewerThanFiveEventsInBothWindowsIsTooFewToJudge() {
    assertThat(RateChange.tooFew(4, 4)).isTrue();
    assertThat(RateChange.tooFew(0, 5)).isFalse();
    assertThat(RateChange.tooFew(5, 0)).isFalse();
  }
}
