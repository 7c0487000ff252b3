package io.socketiocanary.canary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FleetHistoryTest {
  private final Instant t0 = Instant.parse("2026-11-26T10:00:00Z");

  @Test
  void keepsAPerMinuteTimelineAndPercentilesOfTheLastHour() {
    FleetHistory h = new FleetHistory();
    for (int i = 1; i <= 100; i++) {
      h.reconnected(t0.plusSeconds(i), 0, Duration.ofMillis(i * 10L));
      h.disconnected(t0.plusSeconds(i), 0, "transport_close", Duration.ofSeconds(60));
    }
    h.connectError(t0.plusSeconds(70), 1, "http_502");
    FleetHistory.Snapshot s = h.snapshot(t0.plusSeconds(120));
    assertThat(s.timeline()).hasSize(2);
    assertThat(s.timeline().get(0).disconnects()).containsEntry("transport_close", 59);
    assertThat(s.timeline().get(1).connectErrors()).containsEntry("http_502", 1);
    assertThat(s.reconnects().p50()).isEqualTo(0.5);
    assertThat(s.reconnects().p95()).isEqualTo(0.95);
    assertThat(s.reconnects().p99()).isEqualTo(0.99);
    assertThat(s.lifetimes().seconds()).hasSize(100).containsOnly(60.0);
    assertThat(s.recent()).hasSize(FleetHistory.MAX_RECENT);
  }

  @Test
  void forgetsWhatIsOlderThanAnHourAndStaysBounded() {
    FleetHistory h = new FleetHistory();
    for (int i = 0; i < 5000; i++) {
      h.disconnected(t0.plusMillis(i), 0, "ping_timeout", Duration.ofSeconds(1));
    }
    assertThat(h.snapshot(t0).lifetimes().seconds()).hasSize(FleetHistory.MAX_SAMPLES);
    FleetHistory.Snapshot later = h.snapshot(t0.plus(Duration.ofMinutes(61)));
    assertThat(later.timeline()).isEmpty();
    assertThat(later.recent()).isEmpty();
    assertThat(later.lifetimes().seconds()).isEmpty();
    assertThat(later.lifetimes().p50()).isNaN();
  }
}
