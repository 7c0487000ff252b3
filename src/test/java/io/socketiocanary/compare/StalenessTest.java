package io.socketiocanary.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StalenessTest {
  private static final Window W = new Window(Instant.parse("2025-05-01T10:00:00Z"), Instant.parse("2025-05-01T11:00:00Z"));
  private static final FleetKey WS = new FleetKey("chat", "websocket");
  private static final FleetKey POLL = new FleetKey("chat", "polling");

  private static Report report() {
    return new Report(W, W, List.of(), List.of(
        new Row("chat", "websocket", "disconnects/h", "all", "/h", 101, 0, 0.001, Verdict.BETTER, "k=101 vs 0"),
        new Row("chat", "websocket", "probe failures/h", "", "/h", 0, 0, Double.NaN, Verdict.TOO_FEW_SAMPLES, "k=0 vs 0"),
        new Row("chat", "polling", "disconnects/h", "all", "/h", 10, 900, 0.001, Verdict.WORSE, "k=10 vs 900")));
  }

  @Test
  void aFleetMostlyOnOldConnectionsGetsNoVerdictAndSaysHowMany() {
    Report r = Staleness.apply(report(), Map.of(WS, 4.0, POLL, 0.0), Map.of(WS, 5.0, POLL, 5.0));

    assertThat(r.rows()).extracting(Row::transport, Row::label, Row::verdict).containsExactly(
        org.assertj.core.groups.Tuple.tuple("websocket", "disconnects/h all", Verdict.STALE),
        org.assertj.core.groups.Tuple.tuple("websocket", "probe failures/h", Verdict.TOO_FEW_SAMPLES),
        org.assertj.core.groups.Tuple.tuple("websocket", "old connections", Verdict.STALE),
        org.assertj.core.groups.Tuple.tuple("polling", "disconnects/h all", Verdict.WORSE),
        org.assertj.core.groups.Tuple.tuple("polling", "old connections", Verdict.FRESH));
    assertThat(r.rows().get(0).note()).isEqualTo("would be better; k=101 vs 0");
    assertThat(r.rows().get(2).note())
        .isEqualTo("4 of 5 canaries still on a connection from before the marker: the after window judged the old"
            + " path; recycle and compare again");
    assertThat(r.rows().get(2).after()).isEqualTo(4.0);
    assertThat(r.anyStale()).isTrue();
    assertThat(r.anyWorse()).isTrue();
  }

  @Test
  void exactlyHalfIsNotMost() {
    Report r = Staleness.apply(report(), Map.of(WS, 2.0, POLL, 1.0), Map.of(WS, 4.0, POLL, 5.0));
    assertThat(r.anyStale()).isFalse();
    assertThat(r.rows().get(0).verdict()).isEqualTo(Verdict.BETTER);
  }

  @Test
  void agentsWithoutTheGaugeLeaveTheVerdictsAndSaySo() {
    Report r = Staleness.apply(report(), Map.of(), Map.of(WS, 5.0, POLL, 5.0));
    assertThat(r.rows()).filteredOn(row -> row.figure().equals("old connections"))
        .extracting(Row::verdict).containsOnly(Verdict.NOT_AVAILABLE);
    assertThat(r.rows().get(0).verdict()).isEqualTo(Verdict.BETTER);
  }
}
