package io.socketiocanary.metrics;

import static io.socketiocanary.testsupport.Fleets.TRANSPORTS;
import static io.socketiocanary.testsupport.Fleets.fleet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.MetricsSnapshot;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The user's Prometheus bill, counted where Prometheus counts it: the series a real agent's
 * {@code /metrics} shows for one target with its three fleets (websocket, polling,
 * polling_upgrade), connected, probed, in the default mode and in {@code metrics.detail = full}.
 */
class SeriesBudgetIT {
  /** Issue #16's goal for the default mode. */
  private static final int BUDGET = 200;

  @Test
  void aThreeModeTargetExportsAtMostTwoHundredSeriesByDefaultAndFullModeKeepsEveryBucket() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder()
        .pingInterval(Duration.ofSeconds(2)).pingTimeout(Duration.ofSeconds(1)).start()) {
      String target = "clients = 2\nidle = 1500ms\nprobe { event = \"canary-probe\", timeout = 1s }";
      int compactPort = FreePorts.pick();
      int fullPort = FreePorts.pick();
      try (AgentProcess compact = AgentProcess.builder().name("series-compact").httpPort(compactPort)
              .config(CanaryConfig.onPort(compactPort).target("chat", server.url(), target).hocon()).start();
          AgentProcess full = AgentProcess.builder().name("series-full").httpPort(fullPort)
              .config(CanaryConfig.onPort(fullPort).agent("metrics { detail = full }")
                  .target("chat", server.url(), target).hocon()).start()) {
        String compactText = settled(compact);
        String fullText = settled(full);
        long compactSeries = seriesOfTarget(compactText);
        long fullSeries = seriesOfTarget(fullText);
        System.out.printf("series per three-mode target scraped from /metrics: default (compact) %d, full %d%n",
            compactSeries, fullSeries);

        assertThat(compactSeries).isLessThanOrEqualTo(BUDGET);
        // Full keeps today's detail: 54 finite lifetime buckets per fleet and every reason at zero.
        MetricsSnapshot fullMetrics = MetricsSnapshot.parse(fullText);
        for (String transport : TRANSPORTS) {
          assertThat(fullMetrics.series("socketio_canary_connection_lifetime_seconds_bucket").stream()
              .filter(s -> s.labels().entrySet().containsAll(fleet("chat", transport).entrySet()))).hasSize(55);
          assertThat(fullMetrics.series("socketio_canary_connect_errors_total").stream()
              .filter(s -> s.labels().entrySet().containsAll(fleet("chat", transport).entrySet()))).hasSize(22);
        }
        assertThat(fullText).contains("socketio_canary_reconnect_duration_seconds_max{");
        assertThat(compactText).doesNotContain("_seconds_max{target=");
      }
    }
  }

  /** Every fleet connected, its server timings known and a probe answered: every meter registered. */
  private static String settled(AgentProcess agent) {
    agent.awaitReady(Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      MetricsSnapshot m = agent.scrape();
      for (String transport : TRANSPORTS) {
        assertThat(m.sum("socketio_canary_connected", fleet("chat", transport))).as(transport).isEqualTo(2);
        assertThat(m.value("socketio_canary_server_ping_interval_seconds", fleet("chat", transport))).isPresent();
        assertThat(m.histogramCount("socketio_canary_probe_duration_seconds", fleet("chat", transport)))
            .as(transport).isPositive();
      }
    });
    return agent.get("/metrics").body();
  }

  private static long seriesOfTarget(String exposition) {
    return Arrays.stream(exposition.split("\n"))
        .filter(line -> !line.startsWith("#") && line.contains("target=\"chat\""))
        .count();
  }
}
