package io.socketiocanary.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class IdleTimeoutDetectorTest {
  private final IdleTimeoutDetector detector = new IdleTimeoutDetector();

  private OptionalDouble feed(DisconnectReason reason, double... lifetimes) {
    OptionalDouble last = OptionalDouble.empty();
    for (double lifetime : lifetimes) {
      last = detector.disconnected(reason, lifetime);
    }
    return last;
  }

  @Test
  void fiveTransportClosesAtTheSameAgeAreASuspectedIdleTimeoutAtTheirMedian() {
    assertThat(feed(DisconnectReason.TRANSPORT_CLOSE, 60.01, 59.98, 60.2, 60.0, 59.9)).hasValue(60.0);
  }

  @Test
  void fourAreNotEnough() {
    assertThat(feed(DisconnectReason.TRANSPORT_ERROR, 60, 60, 60, 60)).isEmpty();
  }

  @Test
  void scatteredLifetimesAreNotATimeout() {
    assertThat(feed(DisconnectReason.TRANSPORT_CLOSE, 12, 60, 300, 61, 59)).isEmpty();
  }

  @Test
  void aPingTimeoutOrServerDisconnectBreaksThePattern() {
    feed(DisconnectReason.TRANSPORT_CLOSE, 30, 30, 30, 30);
    assertThat(detector.disconnected(DisconnectReason.PING_TIMEOUT, 30)).isEmpty();
    assertThat(feed(DisconnectReason.TRANSPORT_CLOSE, 30)).isEmpty();
  }

  @Test
  void thePatternIsWithdrawnWhenLifetimesSpreadAgain() {
    feed(DisconnectReason.TRANSPORT_CLOSE, 3, 3, 3, 3, 3);
    assertThat(detector.suspected()).isPresent();
    assertThat(feed(DisconnectReason.TRANSPORT_CLOSE, 45)).isEmpty();
  }
}
