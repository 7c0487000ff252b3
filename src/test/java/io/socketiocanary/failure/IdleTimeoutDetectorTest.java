package io.socketiocanary.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class IdleTimeoutDetectorTest {
  private final IdleTimeoutDetector detector = new IdleTimeoutDetector();

  /** One generation: canary i ends its connection at lifetimes[i]. */
  private OptionalDouble generation(DisconnectReason reason, double... lifetimes) {
    OptionalDouble last = OptionalDouble.empty();
    for (int canary = 0; canary < lifetimes.length; canary++) {
      last = detector.disconnected(canary, reason, lifetimes[canary]);
    }
    return last;
  }

  @Test
  void fiveCanariesCutTwiceAtTheSameAgeAreASuspectedIdleTimeoutAtTheirMedian() {
    assertThat(generation(DisconnectReason.TRANSPORT_CLOSE, 60.01, 59.98, 60.2, 60.0, 59.9)).isEmpty();
    assertThat(generation(DisconnectReason.TRANSPORT_CLOSE, 60.02, 59.97, 60.1, 60.0, 59.95)).hasValue(60.0);
  }

  @Test
  void oneRestartEndingAFleetThatConnectedTogetherIsNotATimeout() {
    // Everything connected at start and died together 108 s later: one shared age, once.
    assertThat(generation(DisconnectReason.TRANSPORT_ERROR, 108.2, 108.4, 108.1, 108.9, 108.5, 108.3)).isEmpty();
    // The next restart comes at another age: still no repeat.
    assertThat(generation(DisconnectReason.TRANSPORT_ERROR, 640.1, 640.3, 640.2, 640.0, 640.4, 640.2)).isEmpty();
  }

  @Test
  void fourAreNotEnough() {
    generation(DisconnectReason.TRANSPORT_ERROR, 60, 60, 60, 60);
    assertThat(generation(DisconnectReason.TRANSPORT_ERROR, 60, 60, 60, 60)).isEmpty();
  }

  @Test
  void scatteredLifetimesAreNotATimeout() {
    generation(DisconnectReason.TRANSPORT_CLOSE, 12, 60, 300, 61, 59);
    assertThat(generation(DisconnectReason.TRANSPORT_CLOSE, 12, 60, 300, 61, 59)).isEmpty();
  }

  @Test
  void aPingTimeoutOrServerDisconnectBreaksThePattern() {
    generation(DisconnectReason.TRANSPORT_CLOSE, 30, 30, 30, 30, 30);
    generation(DisconnectReason.TRANSPORT_CLOSE, 30, 30, 30, 30);
    assertThat(detector.disconnected(4, DisconnectReason.PING_TIMEOUT, 30)).isEmpty();
    assertThat(detector.disconnected(4, DisconnectReason.TRANSPORT_CLOSE, 30))
        .as("canary 4's previous connection ended by ping timeout: not a repeat").isEmpty();
  }

  @Test
  void thePatternIsWithdrawnWhenLifetimesSpreadAgain() {
    generation(DisconnectReason.TRANSPORT_CLOSE, 3, 3, 3, 3, 3);
    generation(DisconnectReason.TRANSPORT_CLOSE, 3, 3, 3, 3, 3);
    assertThat(detector.suspected()).hasValue(3.0);
    assertThat(detector.disconnected(0, DisconnectReason.TRANSPORT_CLOSE, 45)).isEmpty();
  }
}
