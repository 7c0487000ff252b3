package io.socketiocanary.canary;

import static io.socketiocanary.testsupport.Fleets.TRANSPORTS;
import static io.socketiocanary.testsupport.Fleets.fleet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.MetricsSnapshot;
import io.socketiocanary.testsupport.Nginx;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reconnect drills: an abrupt TCP cut on a healthy path, measured apart from organic figures. */
class DrillIT {

  @Test
  void drillsRecordTheirOwnReconnectDurationsForEveryModeAndLeaveOrganicFiguresUntouched() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder()
            .pingInterval(Duration.ofSeconds(2)).pingTimeout(Duration.ofSeconds(1)).start();
        Nginx nginx = Nginx.builder().upstream(server.port()).readTimeout(Duration.ofSeconds(30)).start()) {
      int port = FreePorts.pick();
      String config = CanaryConfig.onPort(port).target("chat", nginx.url(), """
          clients = 2
          drill { enabled = true, interval = 2s, timeout = 1500ms }""").hocon();
      try (AgentProcess agent = AgentProcess.builder().name("drill").httpPort(port).config(config).start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
          MetricsSnapshot m = agent.scrape();
          for (String transport : TRANSPORTS) {
            assertThat(m.sum("socketio_canary_drills_total",
                Map.of("target", "chat", "transport", transport, "result", "recovered")))
                .as(transport).isGreaterThanOrEqualTo(3);
          }
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
          MetricsSnapshot m = agent.scrape();
          for (String transport : TRANSPORTS) {
            assertThat(m.sum("socketio_canary_connected", fleet("chat", transport))).as(transport).isEqualTo(2);
            // Each connected canary is on exactly one transport, however often it was drilled.
            assertThat(m.sum("socketio_canary_transport", fleet("chat", transport))).as("%s on a transport", transport)
                .isEqualTo(2);
          }
        });
        MetricsSnapshot m = agent.scrape();
        for (String transport : TRANSPORTS) {
          Map<String, String> labels = fleet("chat", transport);
          double drills = m.histogramCount("socketio_canary_drill_reconnect_duration_seconds", labels);
          assertThat(drills).as("%s drill reconnects", transport).isGreaterThanOrEqualTo(3);
          double mean = m.histogramSum("socketio_canary_drill_reconnect_duration_seconds", labels) / drills;
          assertThat(mean).as("%s mean drill reconnect", transport).isBetween(0.05, 1.5);
          assertThat(m.sum("socketio_canary_drills_total", Map.of("target", "chat", "transport", transport, "result", "failed")))
              .as("%s failed drills", transport).isZero();
          // Drills never pollute the incident figures.
          assertThat(m.histogramCount("socketio_canary_reconnect_duration_seconds", labels)).as(transport).isZero();
          assertThat(m.histogramCount("socketio_canary_connection_lifetime_seconds", labels)).as(transport).isZero();
          assertThat(m.sum("socketio_canary_disconnects_total", labels)).as(transport).isZero();
        }
      }
    }
  }
}
