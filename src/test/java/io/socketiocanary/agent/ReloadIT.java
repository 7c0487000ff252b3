package io.socketiocanary.agent;

import static io.socketiocanary.testsupport.Fleets.fleet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.MetricsSnapshot;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration changes without a restart: on a file change and on SIGHUP. */
class ReloadIT {

  @Test
  void aGoodChangeMovesOnlyTheFleetsItTouchesAndABadOneKeepsTheRunningConfig() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().start()) {
      int port = FreePorts.pick();
      CanaryConfig before = CanaryConfig.onPort(port)
          .target("kept", server.url(), "clients = 1\ntransports = [websocket, polling]")
          .target("removed", server.url(), "clients = 1\ntransports = [websocket]")
          .target("changed", server.url(), "clients = 1\ntransports = [websocket]");
      try (AgentProcess agent = AgentProcess.builder().name("reload").httpPort(port).config(before.hocon()).start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
          MetricsSnapshot m = agent.scrape();
          assertThat(m.sum("socketio_canary_connected", fleet("kept", "websocket"))).isEqualTo(1);
          assertThat(m.sum("socketio_canary_connected", fleet("kept", "polling"))).isEqualTo(1);
          assertThat(m.sum("socketio_canary_connected", fleet("removed", "websocket"))).isEqualTo(1);
          assertThat(m.sum("socketio_canary_connected", fleet("changed", "websocket"))).isEqualTo(1);
        });

        agent.rewriteConfig(CanaryConfig.onPort(port)
            .target("kept", server.url(), "clients = 1\ntransports = [websocket, polling]")
            .target("changed", server.url(), "clients = 3\ntransports = [websocket]")
            .target("added", server.url(), "clients = 2\ntransports = [polling]")
            .hocon());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
          MetricsSnapshot m = agent.scrape();
          assertThat(m.sum("socketio_canary_connected", fleet("changed", "websocket"))).isEqualTo(3);
          assertThat(m.sum("socketio_canary_connected", fleet("added", "polling"))).isEqualTo(2);
          assertThat(m.series("socketio_canary_connected").stream().map(s -> s.labels().get("target")))
              .doesNotContain("removed");
        });
        MetricsSnapshot m = agent.scrape();
        // Untouched fleets kept their connections: one connect each, ever, and no disconnect.
        for (String transport : new String[] {"websocket", "polling"}) {
          assertThat(m.sum("socketio_canary_connects_total", fleet("kept", transport))).as(transport).isEqualTo(1);
          assertThat(m.sum("socketio_canary_disconnects_total", fleet("kept", transport))).as(transport).isZero();
        }
        assertThat(m.value("socketio_canary_config_last_reload_successful", Map.of())).hasValue(1.0);
        agent.process().awaitLine(java.util.regex.Pattern.compile("configuration reloaded"), Duration.ofSeconds(5));

        // A broken config: logged by path and line, the running fleets stay.
        agent.rewriteConfig(CanaryConfig.onPort(port)
            .target("kept", server.url(), "clients = 1\nidle = \"ninety\"").hocon());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
            agent.scrape().value("socketio_canary_config_last_reload_successful", Map.of())).hasValue(0.0));
        // The tailer reads the agent's log every 20 ms: wait for the lines rather than race it.
        agent.process().awaitLine(java.util.regex.Pattern.compile("targets\\[0\\]\\.idle: expected"), Duration.ofSeconds(5));
        assertThat(String.join("\n", agent.process().lines()))
            .contains("new configuration rejected; the running one stays")
            .containsPattern("targets\\[0\\]\\.idle: expected a duration such as 90s, got \"ninety\" "
                + "\\(canary-agent-\\d+\\.conf:\\d+\\)");
        m = agent.scrape();
        assertThat(m.sum("socketio_canary_connected", fleet("changed", "websocket"))).isEqualTo(3);
        assertThat(m.sum("socketio_canary_connected", fleet("added", "polling"))).isEqualTo(2);
        double lastSuccess = m.value("socketio_canary_config_last_reload_success_timestamp_seconds", Map.of()).orElseThrow();

        // SIGHUP reloads too (the file is fixed first, but SIGHUP must not wait for the poll).
        agent.rewriteConfig(before.hocon());
        agent.process().signal("HUP");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
          MetricsSnapshot after = agent.scrape();
          assertThat(after.value("socketio_canary_config_last_reload_successful", Map.of())).hasValue(1.0);
          assertThat(after.value("socketio_canary_config_last_reload_success_timestamp_seconds", Map.of()).orElseThrow())
              .isGreaterThan(lastSuccess);
          assertThat(after.sum("socketio_canary_connected", fleet("removed", "websocket"))).isEqualTo(1);
          assertThat(after.sum("socketio_canary_connected", fleet("changed", "websocket"))).isEqualTo(1);
        });
        assertThat(agent.process().isAlive()).as("SIGHUP must not stop the agent").isTrue();
        assertThat(agent.stop()).isZero();
      }
    }
  }
}
