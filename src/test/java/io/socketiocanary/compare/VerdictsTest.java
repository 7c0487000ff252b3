package io.socketiocanary.compare;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerdictsTest {

  @Test
  void aSignificantLargeRiseOfABadFigureIsWorseAndOfAGoodOneBetter() {
    assertThat(Verdicts.judge(0.01, 10, 20, true)).isEqualTo(Verdict.WORSE);
    assertThat(Verdicts.judge(0.01, 10, 20, false)).isEqualTo(Verdict.BETTER);
    assertThat(Verdicts.judge(0.01, 20, 10, true)).isEqualTo(Verdict.BETTER);
  }

  @Test
  void notSignificantOrTooSmallToMatterIsNoSignificantChange() {
    assertThat(Verdicts.judge(0.05, 10, 20, true)).isEqualTo(Verdict.NO_CHANGE);
    assertThat(Verdicts.judge(1e-9, 100, 109, true)).isEqualTo(Verdict.NO_CHANGE);
    assertThat(Verdicts.judge(1e-9, 100, 110, true)).isEqualTo(Verdict.WORSE);
  }

  @Test
  void fromZeroAnyRiseIsInfinitelyLarge() {
    assertThat(Verdicts.relativeChange(0, 3)).isInfinite();
    assertThat(Verdicts.relativeChange(0, 0)).isZero();
    assertThat(Verdicts.judge(0.001, 0, 3, true)).isEqualTo(Verdict.WORSE);
  }
}
