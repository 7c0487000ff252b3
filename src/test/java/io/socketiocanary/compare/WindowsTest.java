package io.socketiocanary.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowsTest {
  private static final Instant NOW = Instant.parse("2025-05-01T12:00:00Z");

  @Test
  void aRangeReadsBothEndsAndGivesItsPromqlRange() {
    Window w = Window.parse("now-2h..2025-05-01T11:00:00Z", NOW);
    assertThat(w.start()).isEqualTo("2025-05-01T10:00:00Z");
    assertThat(w.end()).isEqualTo("2025-05-01T11:00:00Z");
    assertThat(w.rangeSelector()).isEqualTo("[3600s]");
    assertThat(w).hasToString("2025-05-01T10:00:00Z..2025-05-01T11:00:00Z (1h)");
  }

  @Test
  void aRangeMustHaveTwoEndsInOrder() {
    assertThatThrownBy(() -> Window.parse("now-1h", NOW)).hasMessage("expected START..END, got \"now-1h\"");
    assertThatThrownBy(() -> Window.parse("now-1h..now-2h", NOW)).hasMessageContaining("ends before it starts");
  }

  @Test
  void aMarkerSplitsIntoEqualWindowsAroundIt() {
    Windows w = Windows.aroundMarker("nginx", NOW.minus(Duration.ofHours(3)), Duration.ofHours(1), NOW);
    assertThat(w.before()).isEqualTo(new Window(NOW.minus(Duration.ofHours(4)), NOW.minus(Duration.ofHours(3))));
    assertThat(w.after()).isEqualTo(new Window(NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(2))));
    assertThat(w.notes()).containsExactly("marker \"nginx\" at 2025-05-01T09:00:00Z");
  }

  @Test
  void aRecentMarkerEndsTheAfterWindowNowAndSaysSo() {
    Windows w = Windows.aroundMarker("nginx", NOW.minus(Duration.ofMinutes(40)), Duration.ofHours(1), NOW);
    assertThat(w.after().end()).isEqualTo(NOW);
    assertThat(w.before().length()).isEqualTo(Duration.ofHours(1));
    assertThat(w.notes()).contains("the after window ends now: 40m instead of 1h, rates are per hour either way");
  }

  @Test
  void aWindowInTheFutureIsRefused() {
    assertThatThrownBy(() -> Windows.explicit(Window.parse("now-2h..now-1h", NOW), Window.parse("now+1h..now+2h", NOW), NOW))
        .hasMessageContaining("the after window").hasMessageContaining("starts in the future");
    assertThatThrownBy(() -> Windows.aroundMarker("x", NOW.plusSeconds(1), Duration.ofHours(1), NOW))
        .hasMessageContaining("not in the past");
  }
}
