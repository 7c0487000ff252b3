package io.socketiocanary.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.socketiocanary.config.MetricDetail;
import io.socketiocanary.failure.ConnectErrorReason;
import io.socketiocanary.failure.DisconnectReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code canary.metrics.detail}: compact by default, with the same names and labels as full, and
 * the figures the dashboards, alerts and {@code compare} read. The series count that matters is
 * measured from a real agent's {@code /metrics} in {@code SeriesBudgetIT}; this one counts what the
 * registry renders, for a quick answer while changing buckets.
 */
class MetricDetailTest {
  private static final Optional<String> PROMETHEUS = Optional.of("127.0.0.1 Prometheus/3.0.0");

  @Test
  void aThreeModeTargetStaysWithinTwoHundredSeriesInCompactModeAndFullKeepsEveryBucket() {
    long compact = seriesOfOneTarget(MetricDetail.COMPACT);
    long full = seriesOfOneTarget(MetricDetail.FULL);
    System.out.printf("series per three-mode target from the registry: compact %d, full %d%n", compact, full);
    assertThat(compact).isLessThanOrEqualTo(200);
    // Full is today's detail: 55 lifetime buckets per fleet, every reason at zero, _max gauges.
    assertThat(full).isGreaterThanOrEqualTo(3L * (55 + DisconnectReason.values().length
        + ConnectErrorReason.values().length));
  }

  @Test
  void compactBucketsAreASubsetOfFullOnesAndHoldEveryThresholdTheAlertsName() {
    assertThat(seconds(Buckets.RECONNECT_DURATION)).containsAll(seconds(Buckets.COMPACT_RECONNECT_DURATION));
    assertThat(seconds(Buckets.CONNECTION_LIFETIME)).containsAll(seconds(Buckets.COMPACT_CONNECTION_LIFETIME));
    assertThat(seconds(Buckets.HANDSHAKE_DURATION)).containsAll(seconds(Buckets.COMPACT_HANDSHAKE_DURATION));
    assertThat(seconds(Buckets.PROBE_DURATION)).containsAll(seconds(Buckets.COMPACT_PROBE_DURATION));
    // SocketIOCanaryReconnectSlow: p95 > 10 s; its promtool tests feed le 1, 5, 10 and 30.
    assertThat(seconds(Buckets.COMPACT_RECONNECT_DURATION)).contains(1.0, 5.0, 10.0, 30.0);
  }

  @Test
  void compactModeShowsNoMaxGaugesAndNoReasonThatNeverHappened() {
    try (AgentMetrics metrics = new AgentMetrics("test", "", "", false, MetricDetail.COMPACT)) {
      FleetMetrics fleet = new FleetMetrics(metrics.registry(), "t", "websocket", 1, false, false, TestConnections.NONE);
      fleet.connected(Duration.ofMillis(20));
      String scrape = metrics.scrape();
      assertThat(scrape).doesNotContain("socketio_canary_connect_errors_total")
          .doesNotContain("socketio_canary_disconnects_total")
          .doesNotContainPattern("socketio_canary_\\w+_seconds_max")
          .contains("socketio_canary_handshake_duration_seconds_bucket{target=\"t\",transport=\"websocket\",le=\"0.05\"} 1")
          .doesNotContainPattern("handshake_duration_seconds_bucket\\{[^}]*le=\"0.025\"");
      fleet.disconnected(DisconnectReason.TRANSPORT_CLOSE, Duration.ofSeconds(60));
      assertThat(metrics.scrape())
          .contains("socketio_canary_disconnects_total{reason=\"transport_close\",target=\"t\",transport=\"websocket\"} 1.0")
          .contains("socketio_canary_connection_lifetime_seconds_bucket{target=\"t\",transport=\"websocket\",le=\"63.0\"} 1");
    }
  }

  @Test
  void fullModeShowsEveryReasonAtZeroAndTheMaxGauges() {
    try (AgentMetrics metrics = new AgentMetrics("test", "", "", false, MetricDetail.FULL)) {
      new FleetMetrics(metrics.registry(), "t", "websocket", 1, false, false, TestConnections.NONE);
      String scrape = metrics.scrape(PROMETHEUS);
      for (ConnectErrorReason reason : ConnectErrorReason.values()) {
        assertThat(scrape).contains("socketio_canary_connect_errors_total{reason=\"" + reason.label()
            + "\",target=\"t\",transport=\"websocket\"} 0.0");
      }
      assertThat(scrape).contains("socketio_canary_reconnect_duration_seconds_max{target=\"t\",transport=\"websocket\"}")
          .contains("le=\"0.75\"");
    }
  }

  /** rate() takes a new series' first sample as its start: a scraper that knows the agent sees 0 first. */
  @Test
  void aReasonSeriesIsBornAtZeroForAScraperThatHasScrapedBefore() {
    try (AgentMetrics metrics = new AgentMetrics("test", "", "", false, MetricDetail.COMPACT)) {
      FleetMetrics fleet = new FleetMetrics(metrics.registry(), "t", "polling", 1, false, false, TestConnections.NONE);
      String timeout = "socketio_canary_connect_errors_total{reason=\"timeout\",target=\"t\",transport=\"polling\"} ";
      Optional<String> other = Optional.of("10.0.0.2 Prometheus/3.0.0");
      assertThat(metrics.scrape(PROMETHEUS)).doesNotContain(timeout);

      fleet.connectError(ConnectErrorReason.TIMEOUT);
      assertThat(metrics.scrape(PROMETHEUS)).as("first scrape after the failure").contains(timeout + "0.0");
      fleet.connectError(ConnectErrorReason.TIMEOUT);
      assertThat(metrics.scrape(PROMETHEUS)).as("every failure counted from the next scrape on").contains(timeout + "2.0");
      assertThat(metrics.scrape(other)).as("a scraper seen for the first time has no sample to jump from")
          .contains(timeout + "2.0");
      assertThat(metrics.scrape()).as("a person or a test reading /metrics").contains(timeout + "2.0");
    }
  }

  @Test
  void aReasonSeriesIsBornAgainAfterItsFleetRestarted() {
    try (AgentMetrics metrics = new AgentMetrics("test", "", "", false, MetricDetail.COMPACT)) {
      String dns = "socketio_canary_connect_errors_total{reason=\"dns\",target=\"t\",transport=\"polling\"} ";
      FleetMetrics first = new FleetMetrics(metrics.registry(), "t", "polling", 1, false, false, TestConnections.NONE);
      first.connectError(ConnectErrorReason.DNS);
      assertThat(metrics.scrape(PROMETHEUS)).contains(dns + "1.0");
      first.close();
      assertThat(metrics.scrape(PROMETHEUS)).doesNotContain(dns);
      FleetMetrics second = new FleetMetrics(metrics.registry(), "t", "polling", 1, false, false, TestConnections.NONE);
      second.connectError(ConnectErrorReason.DNS);
      assertThat(metrics.scrape(PROMETHEUS)).contains(dns + "0.0");
      assertThat(metrics.scrape(PROMETHEUS)).contains(dns + "1.0");
    }
  }

  /** Compact mode renders with the client library's writer itself: it must match Micrometer's own. */
  @Test
  void compactModeRendersEveryLineItKeepsExactlyAsMicrometerDoes() {
    try (AgentMetrics metrics = new AgentMetrics("test", "r", "zone-a", false, MetricDetail.COMPACT)) {
      FleetMetrics fleet = new FleetMetrics(metrics.registry(), "t", "polling_upgrade", 2, true, true, TestConnections.NONE);
      fleet.connected(Duration.ofMillis(30));
      fleet.serverTimings(Duration.ofSeconds(25), Duration.ofSeconds(20));
      fleet.connectError(ConnectErrorReason.HTTP_502);
      Set<String> ours = samples(metrics.scrape());
      Set<String> micrometers = samples(((PrometheusMeterRegistry) metrics.registry()).scrape()).stream()
          .filter(line -> !line.matches("socketio_canary_\\w+_seconds_max\\{.*"))
          .filter(line -> !line.matches("socketio_canary_(disconnects|connect_errors)_total\\{.*} 0\\.0"))
          .filter(line -> !line.startsWith("jvm_") && !line.startsWith("process_") && !line.startsWith("system_"))
          .collect(Collectors.toCollection(TreeSet::new));
      ours.removeIf(line -> line.startsWith("jvm_") || line.startsWith("process_") || line.startsWith("system_"));
      assertThat(ours).isEqualTo(micrometers);
    }
  }

  private static long seriesOfOneTarget(MetricDetail detail) {
    try (AgentMetrics metrics = new AgentMetrics("test", "", "", false, detail)) {
      List<FleetMetrics> fleets = new ArrayList<>();
      for (String transport : List.of("websocket", "polling", "polling_upgrade")) {
        FleetMetrics fleet = new FleetMetrics(metrics.registry(), "chat", transport, 2,
            transport.equals("polling_upgrade"), false, TestConnections.NONE);
        fleet.connected(Duration.ofMillis(20));
        fleet.serverTimings(Duration.ofSeconds(25), Duration.ofSeconds(20));
        fleet.staleConnections(() -> 0);
        fleet.probeAcked(Duration.ofMillis(2));
        fleets.add(fleet);
      }
      return Arrays.stream(metrics.scrape(PROMETHEUS).split("\n"))
          .filter(line -> !line.startsWith("#") && line.contains("target=\"chat\""))
          .count();
    }
  }

  private static Set<String> samples(String scrape) {
    return Arrays.stream(scrape.split("\n")).filter(line -> !line.startsWith("#") && !line.isBlank())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<Double> seconds(Duration[] buckets) {
    return Arrays.stream(buckets).map(d -> d.toNanos() / 1e9).toList();
  }
}
