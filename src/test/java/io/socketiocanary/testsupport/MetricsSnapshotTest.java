package io.socketiocanary.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsSnapshotTest {

  /** Written by hand in the shape Micrometer 1.15 writes, with the awkward cases. */
  private static final String SAMPLE = """
      # HELP socketio_canary_reconnect_duration_seconds Time from disconnect to connect
      # TYPE socketio_canary_reconnect_duration_seconds histogram
      socketio_canary_reconnect_duration_seconds_bucket{target="a",transport="websocket",le="0.5"} 1
      socketio_canary_reconnect_duration_seconds_bucket{target="a",transport="websocket",le="1.0"} 3
      socketio_canary_reconnect_duration_seconds_bucket{target="a",transport="websocket",le="+Inf"} 4
      socketio_canary_reconnect_duration_seconds_count{target="a",transport="websocket"} 4
      socketio_canary_reconnect_duration_seconds_sum{target="a",transport="websocket"} 3.25
      socketio_canary_reconnect_duration_seconds_bucket{target="a",transport="polling",le="0.5"} 0
      socketio_canary_reconnect_duration_seconds_bucket{target="a",transport="polling",le="1.0"} 1
      socketio_canary_reconnect_duration_seconds_bucket{target="a",transport="polling",le="+Inf"} 2
      socketio_canary_reconnect_duration_seconds_count{target="a",transport="polling"} 2
      socketio_canary_reconnect_duration_seconds_sum{target="a",transport="polling"} 2.5
      # TYPE socketio_canary_disconnects_total counter
      socketio_canary_disconnects_total{reason="transport close",target="a"} 4.0
      socketio_canary_disconnects_total{reason="ping timeout",target="a"} 1.0
      socketio_canary_disconnects_total{reason="say \\"hi\\"\\\\ \\n, {}",target="b"} 2.0
      # TYPE socketio_canary_last_rtt_seconds gauge
      socketio_canary_last_rtt_seconds{target="a"} NaN
      process_uptime_seconds 12.5 1700000000000
      """;

  @Test
  void sumsEverySeriesWhoseLabelsContainTheSubset() {
    MetricsSnapshot snapshot = MetricsSnapshot.parse(SAMPLE);

    assertThat(snapshot.sum("socketio_canary_disconnects_total", Map.of("target", "a"))).isEqualTo(5.0);
    assertThat(snapshot.sum("socketio_canary_disconnects_total", Map.of())).isEqualTo(7.0);
    assertThat(snapshot.sum("socketio_canary_disconnects_total", Map.of("target", "zzz"))).isZero();
    assertThat(snapshot.sum("no_such_metric", Map.of())).isZero();
  }

  @Test
  void findsOneSeriesOnlyByItsExactLabels() {
    MetricsSnapshot snapshot = MetricsSnapshot.parse(SAMPLE);

    assertThat(snapshot.value("socketio_canary_disconnects_total", Map.of("reason", "ping timeout", "target", "a")))
        .contains(1.0);
    assertThat(snapshot.value("socketio_canary_disconnects_total", Map.of("target", "a"))).isEmpty();
    assertThat(snapshot.value("process_uptime_seconds", Map.of())).contains(12.5);
  }

  @Test
  void unescapesLabelValues() {
    MetricsSnapshot snapshot = MetricsSnapshot.parse(SAMPLE);

    assertThat(snapshot.value("socketio_canary_disconnects_total",
        Map.of("reason", "say \"hi\"\\ \n, {}", "target", "b"))).contains(2.0);
  }

  @Test
  void readsNaNAndInfinity() {
    MetricsSnapshot snapshot = MetricsSnapshot.parse(SAMPLE);

    assertThat(snapshot.value("socketio_canary_last_rtt_seconds", Map.of("target", "a")).orElseThrow()).isNaN();
    assertThat(snapshot.bucketCounts("socketio_canary_reconnect_duration_seconds", Map.of("transport", "websocket")))
        .containsEntry(Double.POSITIVE_INFINITY, 4.0);
  }

  @Test
  void histogramHelpersSumOverMatchingSeries() {
    MetricsSnapshot snapshot = MetricsSnapshot.parse(SAMPLE);
    String name = "socketio_canary_reconnect_duration_seconds";

    assertThat(snapshot.histogramCount(name, Map.of("target", "a"))).isEqualTo(6.0);
    assertThat(snapshot.histogramSum(name, Map.of("transport", "polling"))).isEqualTo(2.5);
    assertThat(snapshot.bucketCounts(name, Map.of("target", "a")))
        .containsExactly(Map.entry(0.5, 1.0), Map.entry(1.0, 4.0), Map.entry(Double.POSITIVE_INFINITY, 6.0));
  }

  @Test
  void listsNamesAndSeries() {
    MetricsSnapshot snapshot = MetricsSnapshot.parse(SAMPLE);

    assertThat(snapshot.names()).contains("socketio_canary_reconnect_duration_seconds_bucket",
        "socketio_canary_reconnect_duration_seconds_count", "process_uptime_seconds");
    assertThat(snapshot.series("socketio_canary_disconnects_total")).hasSize(3);
    assertThat(snapshot.series("absent")).isEmpty();
  }

  @Test
  void parsesWhatMicrometersPrometheusRegistryActuallyWrites() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Timer timer = Timer.builder("socketio.canary.reconnect.duration")
        .tags("target", "demo", "transport", "websocket")
        .serviceLevelObjectives(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
        .register(registry);
    timer.record(Duration.ofMillis(300));
    timer.record(Duration.ofMillis(800));
    timer.record(Duration.ofMillis(1200));
    Counter.builder("socketio.canary.disconnects").tags("reason", "io server \"disconnect\"")
        .register(registry).increment(2);

    MetricsSnapshot snapshot = MetricsSnapshot.parse(registry.scrape());

    Map<String, String> labels = Map.of("target", "demo");
    String name = "socketio_canary_reconnect_duration_seconds";
    assertThat(snapshot.histogramCount(name, labels)).isEqualTo(3.0);
    assertThat(snapshot.histogramSum(name, labels)).isCloseTo(2.3, within(1e-9));
    assertThat(snapshot.bucketCounts(name, labels))
        .containsEntry(0.5, 1.0).containsEntry(1.0, 2.0).containsEntry(5.0, 3.0)
        .containsEntry(Double.POSITIVE_INFINITY, 3.0);
    assertThat(snapshot.value("socketio_canary_disconnects_total", Map.of("reason", "io server \"disconnect\"")))
        .contains(2.0);
  }

  @Test
  void rejectsALineThatIsNotASampleWithItsLineNumber() {
    assertThatThrownBy(() -> MetricsSnapshot.parse("# TYPE x counter\nx{a=\"1\"}\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2");
  }
}
