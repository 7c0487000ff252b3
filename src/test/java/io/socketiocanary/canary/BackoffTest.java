package io.socketiocanary.canary;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.config.ReconnectionSettings;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static Backoff backoff(double randomization) {
    return new Backoff(new ReconnectionSettings(Duration.ofSeconds(1), Duration.ofSeconds(5), randomization,
        OptionalInt.empty()));
  }

  @Test
  void withoutJitterItDoublesUpToTheCeilingAndStartsOverAfterReset() {
    Backoff b = backoff(0);
    assertThat(new long[] {b.nextDelayMillis(), b.nextDelayMillis(), b.nextDelayMillis(), b.nextDelayMillis()})
        .containsExactly(1000, 2000, 4000, 5000);
    b.reset();
    assertThat(b.nextDelayMillis()).isEqualTo(1000);
  }

  @RepeatedTest(20)
  void jitterSpreadsEachDelayByTheRandomizationFactor() {
    Backoff b = backoff(0.5);
    assertThat(b.nextDelayMillis()).isBetween(500L, 1500L);
    assertThat(b.nextDelayMillis()).isBetween(1000L, 3000L);
    assertThat(b.nextDelayMillis()).isBetween(2000L, 5000L);
  }
}
