package io.socketiocanary.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComparisonTest {
  static final FleetKey CHAT = new FleetKey("chat", "websocket");
  static final double INF = Double.POSITIVE_INFINITY;
  static final Window BEFORE = new Window(Instant.parse("2025-05-01T10:00:00Z"), Instant.parse("2025-05-01T11:00:00Z"));
  static final Window AFTER = new Window(Instant.parse("2025-05-01T11:00:00Z"), Instant.parse("2025-05-01T12:00:00Z"));

  static WindowData window(Window w, double connected, Map<String, Double> disconnects, Histogram reconnect) {
    return new WindowData(w, Set.of(CHAT), Map.of(CHAT, 6.0), Map.of(CHAT, connected), Map.of(CHAT, disconnects),
        Map.of(CHAT, Map.of("timeout", 0.0)), Map.of(CHAT, 0.0), Map.of(CHAT, reconnect), Map.of(),
        Map.of(CHAT, histogram(30, 30, 0)));
  }

  static Histogram histogram(double fast, double slow, double slower) {
    return new Histogram(new double[] {1, 5, 10, INF}, new double[] {fast, fast + slow, fast + slow + slower,
        fast + slow + slower});
  }

  static Row row(Report report, String label) {
    return report.rows().stream().filter(r -> r.label().equals(label)).findFirst().orElseThrow();
  }

  @Test
  void moreDisconnectsAndSlowerReconnectsAreWorse() {
    Report report = Comparison.compare(
        window(BEFORE, 6, Map.of("transport_close", 10.0, "ping_timeout", 0.0), histogram(40, 0, 0)),
        window(AFTER, 5.8, Map.of("transport_close", 60.0, "ping_timeout", 0.0), histogram(5, 30, 20)), List.of());

    assertThat(row(report, "disconnects/h all").verdict()).isEqualTo(Verdict.WORSE);
    assertThat(row(report, "disconnects/h transport_close").after()).isEqualTo(60);
    assertThat(report.rows()).noneMatch(r -> r.label().equals("disconnects/h ping_timeout"));
    assertThat(row(report, "reconnect p95").verdict()).isEqualTo(Verdict.WORSE);
    assertThat(row(report, "availability").verdict()).isEqualTo(Verdict.WORSE);
    assertThat(row(report, "lifetime p50").verdict()).isEqualTo(Verdict.NO_CHANGE);
    assertThat(row(report, "drill reconnect").verdict()).isEqualTo(Verdict.NOT_AVAILABLE);
    assertThat(row(report, "connect errors/h all").verdict()).isEqualTo(Verdict.TOO_FEW_SAMPLES);
    assertThat(report.anyWorse()).isTrue();
  }

  /**
   * canary.metrics.detail changed at the rollout (or A and B run different modes): the same outages,
   * in full buckets before and in compact ones (a subset) after, are the same distribution.
   */
  @Test
  void windowsInFullAndCompactBucketsAreJudgedOnTheBucketsBothHave() {
    Histogram full = new Histogram(new double[] {0.5, 0.75, 1, 1.5, 2, 3, 5, 10, INF},
        new double[] {0, 0, 0, 100, 100, 100, 100, 100, 100});
    Histogram compact = new Histogram(new double[] {0.5, 1, 2, 5, 10, INF}, new double[] {0, 0, 100, 100, 100, 100});
    Report report = Comparison.compare(window(BEFORE, 6, Map.of("transport_close", 100.0), full),
        window(AFTER, 6, Map.of("transport_close", 100.0), compact), List.of());

    for (String quantile : List.of("reconnect p50", "reconnect p95", "reconnect p99")) {
      assertThat(row(report, quantile).verdict()).as(quantile).isEqualTo(Verdict.NO_CHANGE);
      assertThat(row(report, quantile).before()).as(quantile).isEqualTo(row(report, quantile).after());
    }
  }

  @Test
  void theSameFiguresAreNoSignificantChangeAndSparseOnesTooFewSamples() {
    Report report = Comparison.compare(
        window(BEFORE, 6, Map.of("transport_close", 30.0), histogram(10, 3, 0)),
        window(AFTER, 6, Map.of("transport_close", 30.0), histogram(12, 2, 0)), List.of());

    assertThat(row(report, "disconnects/h all").verdict()).isEqualTo(Verdict.NO_CHANGE);
    assertThat(row(report, "availability").verdict()).isEqualTo(Verdict.NO_CHANGE);
    assertThat(row(report, "reconnect p50").verdict()).isEqualTo(Verdict.TOO_FEW_SAMPLES);
    assertThat(row(report, "reconnect p50").note()).isEqualTo("n=13 vs 14, need 20 each");
    assertThat(report.anyWorse()).isFalse();
  }

  static WindowData withRecovery(WindowData w, Map<String, Double> recoveries, double missed) {
    return new WindowData(w.window(), w.fleets(), w.clients(), w.connected(), w.disconnects(), w.connectErrors(),
        w.probeFailures(), w.reconnect(), w.drillReconnect(), w.lifetime(), Map.of(CHAT, recoveries),
        Map.of(CHAT, missed));
  }

  @Test
  void fewerRecoveredSessionsAndMoreMissedMessagesAreWorseAndNoOffsetCountsInNeither() {
    Report report = Comparison.compare(
        withRecovery(window(BEFORE, 6, Map.of("transport_close", 30.0), histogram(40, 0, 0)),
            Map.of("recovered", 40.0, "new_session", 0.0, "no_offset", 500.0), 0),
        withRecovery(window(AFTER, 6, Map.of("transport_close", 30.0), histogram(40, 0, 0)),
            Map.of("recovered", 10.0, "new_session", 30.0, "no_offset", 0.0), 120), List.of());

    Row ratio = row(report, "recovered ratio");
    assertThat(ratio.unit()).isEqualTo("%");
    assertThat(ratio.before()).isEqualTo(100.0);
    assertThat(ratio.after()).isEqualTo(25.0);
    assertThat(ratio.note()).isEqualTo("n=40 vs 40 reconnects");
    assertThat(ratio.verdict()).isEqualTo(Verdict.WORSE);
    assertThat(ratio.pValue()).isEqualTo(ProportionChange.pValue(1, 40, 0.25, 40));
    Row missed = row(report, "messages missed/h");
    assertThat(missed.before()).isZero();
    assertThat(missed.after()).isEqualTo(120);
    assertThat(missed.verdict()).isEqualTo(Verdict.WORSE);
    assertThat(report.anyWorse()).isTrue();
  }

  @Test
  void moreRecoveredSessionsAreBetterAndFewJudgedReconnectsTooFewSamples() {
    Row better = Comparison.recoveredRatio(CHAT, Map.of("recovered", 15.0, "new_session", 25.0),
        Map.of("recovered", 39.0, "new_session", 1.0));
    assertThat(better.verdict()).isEqualTo(Verdict.BETTER);
    Row sparse = Comparison.recoveredRatio(CHAT, Map.of("recovered", 3.0, "new_session", 1.0, "no_offset", 90.0),
        Map.of("recovered", 0.0, "new_session", 0.0));
    assertThat(sparse.verdict()).isEqualTo(Verdict.TOO_FEW_SAMPLES);
    assertThat(sparse.before()).isEqualTo(75.0);
    assertThat(sparse.after()).isNaN();
    assertThat(sparse.note()).isEqualTo("n=4 vs 0 reconnects, need 20");
    assertThat(Cells.value(sparse.after(), sparse.unit())).isEqualTo("-");
    assertThat(Cells.change(sparse)).isEqualTo("-");
  }

  @Test
  void fleetsWithoutTheRecoverySeriesGetNoRecoveryRows() {
    Report report = Comparison.compare(window(BEFORE, 6, Map.of("transport_close", 30.0), histogram(40, 0, 0)),
        window(AFTER, 6, Map.of("transport_close", 30.0), histogram(40, 0, 0)), List.of());
    assertThat(report.rows()).noneMatch(r -> r.figure().equals("recovered ratio") || r.figure().startsWith("messages"));
  }
}
