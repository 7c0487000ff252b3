package io.socketiocanary.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DistributionsTest {

  @Test
  void logGammaMatchesFactorialsAndHalfIntegers() {
    assertThat(Distributions.logGamma(5)).isCloseTo(Math.log(24), within(1e-12));
    assertThat(Distributions.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-12));
    assertThat(Distributions.logGamma(101)).isCloseTo(363.73937555556347, within(1e-9)); // ln 100!
  }

  @Test
  void theNormalTailMatchesTables() {
    assertThat(Distributions.twoSidedNormal(1.959964)).isCloseTo(0.05, within(1e-6));
    assertThat(Distributions.twoSidedNormal(-2.575829)).isCloseTo(0.01, within(1e-6));
    assertThat(Distributions.twoSidedNormal(0)).isCloseTo(1, within(1e-6));
  }
}
