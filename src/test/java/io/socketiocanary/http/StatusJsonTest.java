package io.socketiocanary.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.canary.CanaryState;
import io.socketiocanary.canary.CanaryStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusJsonTest {
  @Test
  void aSmallFleetListsEveryCanary() {
    List<CanaryStatus> fleet = fleet(StatusJson.CANARIES_SHOWN, 7);
    assertThat(StatusJson.shown(fleet)).isEqualTo(fleet);
  }

  @Test
  void aLargeFleetListsAHundredCanariesTheOnesDownFirstInIndexOrder() {
    List<CanaryStatus> shown = StatusJson.shown(fleet(5000, 4000));
    assertThat(shown).hasSize(StatusJson.CANARIES_SHOWN);
    assertThat(shown.get(0).index()).isEqualTo(0);
    assertThat(shown.stream().filter(s -> s.state() == CanaryState.RECONNECTING)).hasSize(1);
    assertThat(shown.get(shown.size() - 1).index()).isEqualTo(4000);
    assertThat(shown).isSortedAccordingTo((a, b) -> Integer.compare(a.index(), b.index()));
  }

  /** {@code size} canaries, all connected except the one at {@code down}. */
  private static List<CanaryStatus> fleet(int size, int down) {
    List<CanaryStatus> all = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      CanaryState state = i == down ? CanaryState.RECONNECTING : CanaryState.CONNECTED;
      all.add(new CanaryStatus(i, state, "websocket", null, null, null, null, null, null));
    }
    return all;
  }
}
