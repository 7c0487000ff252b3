package io.socketiocanary.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProportionChangeTest {

  @Test
  void aFleetDownTwelveOfThreeHundredSixtyCanaryMinutesDiffersFromAlwaysUp() {
    // pooled 708/720, se = sqrt(p(1-p)·2/360) = 0.0095420, z = -0.033333/se = -3.4933 → p = 4.770e-4
    assertThat(ProportionChange.pValue(1.0, 360, 348.0 / 360, 360)).isCloseTo(4.7702757e-4, within(1e-6));
  }

  @Test
  void identicalProportionsGiveOneEvenWithoutVariance() {
    assertThat(ProportionChange.pValue(1.0, 360, 1.0, 120)).isEqualTo(1);
    assertThat(ProportionChange.pValue(0.9, 360, 0.9, 120)).isCloseTo(1, within(1e-6));
  }

  @Test
  void fewerThanTwentyCanaryMinutesInEitherWindowIsTooFew() {
    assertThat(ProportionChange.tooFew(19, 360)).isTrue();
    assertThat(ProportionChange.tooFew(20, 20)).isFalse();
  }
}
