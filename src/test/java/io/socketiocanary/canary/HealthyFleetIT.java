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
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A fleet behind a correctly configured nginx stays connected, probes answered, nothing dropped. */
class HealthyFleetIT {

  @Test
  void aHealthyFleetStaysConnectedWithNoDisconnectsAndAnsweredProbes() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder()
            .pingInterval(Duration.ofSeconds(2)).pingTimeout(Duration.ofSeconds(1)).start();
        Nginx nginx = Nginx.builder().upstream(server.port()).readTimeout(Duration.ofSeconds(10)).start()) {
      int port = FreePorts.pick();
      String config = CanaryConfig.onPort(port)
          .target("chat", nginx.url(), "clients = 2\nidle = 1500ms\nprobe { event = \"canary-probe\", timeout = 1s }")
          .hocon();
      try (AgentProcess agent = AgentProcess.builder().name("healthy").httpPort(port).config(config).start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
          MetricsSnapshot m = agent.scrape();
          for (String transport : TRANSPORTS) {
            assertThat(m.sum("socketio_canary_connected", fleet("chat", transport))).as(transport).isEqualTo(2);
          }
        });

        // Stay idle across several ping intervals and probe rounds.
        await().pollDelay(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(8)).until(() -> true);
        MetricsSnapshot m = agent.scrape();
        for (String transport : TRANSPORTS) {
          var labels = fleet("chat", transport);
          assertThat(m.sum("socketio_canary_clients", labels)).as(transport).isEqualTo(2);
          assertThat(m.sum("socketio_canary_connected", labels)).as(transport).isEqualTo(2);
          assertThat(m.sum("socketio_canary_up", labels)).as(transport).isEqualTo(1);
          assertThat(m.sum("socketio_canary_connects_total", labels)).as(transport).isEqualTo(2);
          assertThat(m.sum("socketio_canary_disconnects_total", labels)).as(transport).isZero();
          assertThat(m.sum("socketio_canary_connect_errors_total", labels)).as(transport).isZero();
          assertThat(m.sum("socketio_canary_probe_failures_total", labels)).as(transport).isZero();
          assertThat(m.histogramCount("socketio_canary_probe_duration_seconds", labels)).as(transport)
              .isGreaterThanOrEqualTo(4);
          assertThat(m.histogramCount("socketio_canary_handshake_duration_seconds", labels)).isEqualTo(2);
          assertThat(m.value("socketio_canary_server_ping_interval_seconds", labels)).hasValue(2.0);
          assertThat(m.value("socketio_canary_server_ping_timeout_seconds", labels)).hasValue(1.0);
          String onTransport = transport.equals("polling") ? "polling" : "websocket";
          assertThat(m.sum("socketio_canary_transport", Map.of("target", "chat", "transport", transport, "name", onTransport)))
              .as("%s canaries on %s", transport, onTransport).isEqualTo(2);
          assertThat(m.names()).doesNotContain("socketio_canary_suspected_idle_timeout_seconds");
        }
        assertThat(m.sum("socketio_canary_upgrades_total",
            Map.of("target", "chat", "transport", "polling_upgrade", "result", "success")))
            .isEqualTo(2);
        assertThat(m.sum("socketio_canary_upgrades_total",
            Map.of("target", "chat", "transport", "polling_upgrade", "result", "failure")))
            .isZero();
        assertThat(m.sum("socketio_canary_upgrades_total", fleet("chat", "websocket"))).isZero();
        assertThat(m.names()).contains("socketio_canary_build_info", "jvm_threads_live_threads");

        JsonObject status = new JsonObject(agent.get("/api/status").body());
        var fleets = status.getJsonArray("targets").getJsonObject(0).getJsonArray("fleets");
        assertThat(fleets).hasSize(3);
        for (int i = 0; i < fleets.size(); i++) {
          JsonObject fleet = fleets.getJsonObject(i);
          assertThat(fleet.getInteger("connected")).isEqualTo(2);
          String expectedTransport = fleet.getString("transport").equals("polling") ? "polling" : "websocket";
          fleet.getJsonArray("canaries").forEach(c -> {
            assertThat(((JsonObject) c).getString("state")).isEqualTo("connected");
            assertThat(((JsonObject) c).getString("transport")).isEqualTo(expectedTransport);
          });
        }
        assertThat(agent.stop()).as("exit code after SIGTERM").isZero();
      }
    }
  }
}
