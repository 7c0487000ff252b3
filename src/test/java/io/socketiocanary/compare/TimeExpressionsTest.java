package io.socketiocanary.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeExpressionsTest {
  private static final Instant NOW = Instant.parse("2025-05-01T12:00:00Z");

  @Test
  void readsRfc3339WithZuluOrOffsetOrASpace() {
    assertThat(TimeExpressions.instant("2025-05-01T10:00:00Z", NOW)).isEqualTo("2025-05-01T10:00:00Z");
    assertThat(TimeExpressions.instant("2025-05-01T12:00:00+02:00", NOW)).isEqualTo("2025-05-01T10:00:00Z");
    assertThat(TimeExpressions.instant("2025-05-01 10:00:00.5z", NOW)).isEqualTo("2025-05-01T10:00:00.5Z");
  }

  @Test
  void readsUnixSecondsWithOrWithoutFraction() {
    assertThat(TimeExpressions.instant("1746093600", NOW)).isEqualTo("2025-05-01T10:00:00Z");
    assertThat(TimeExpressions.instant("1746093600.250", NOW)).isEqualTo("2025-05-01T10:00:00.250Z");
  }

  @Test
  void readsTimesRelativeToNow() {
    assertThat(TimeExpressions.instant("now", NOW)).isEqualTo(NOW);
    assertThat(TimeExpressions.instant("now-2h", NOW)).isEqualTo("2025-05-01T10:00:00Z");
    assertThat(TimeExpressions.instant("now-1h30m", NOW)).isEqualTo("2025-05-01T10:30:00Z");
    assertThat(TimeExpressions.instant("now+15m", NOW)).isEqualTo("2025-05-01T12:15:00Z");
  }

  @Test
  void aTimeItCannotReadSaysWhatItExpects() {
    assertThatThrownBy(() -> TimeExpressions.instant("yesterday", NOW))
        .hasMessage("expected a time as RFC 3339 (2025-05-01T10:00:00Z), unix seconds or now-2h, got \"yesterday\"");
    assertThatThrownBy(() -> TimeExpressions.instant("now-2x", NOW)).hasMessageContaining("got \"2x\"");
  }

  @Test
  void readsAndFormatsPrometheusStyleDurations() {
    assertThat(TimeExpressions.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(TimeExpressions.duration("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(TimeExpressions.duration("1w")).isEqualTo(Duration.ofDays(7));
    assertThatThrownBy(() -> TimeExpressions.duration("0s")).hasMessageContaining("positive");
    assertThatThrownBy(() -> TimeExpressions.duration("1 hour")).hasMessageContaining("1h, 90m or 1h30m");
    assertThat(TimeExpressions.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(TimeExpressions.format(Duration.ofSeconds(2412))).isEqualTo("40m12s");
    assertThat(TimeExpressions.format(Duration.ofDays(30))).isEqualTo("30d");
  }
}
