package io.socketiocanary.canary;

import static io.socketiocanary.testsupport.Fleets.fleet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.MetricsSnapshot;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * OkHttp's default dispatcher runs 64 calls at once, 5 per host: with the library's default client
 * WebSocket canary 65 and long-poll canary 6 against one host would never connect.
 */
class LargeFleetIT {

  @Test
  void twoHundredWebSocketAndSeventyPollingCanariesAgainstOneHostAllConnect() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder()
        .pingInterval(Duration.ofSeconds(5)).pingTimeout(Duration.ofSeconds(5)).start()) {
      int port = FreePorts.pick();
      String config = CanaryConfig.onPort(port)
          .target("ws", server.url(), "clients = 200\ntransports = [websocket]")
          .target("poll", server.url(), "clients = 70\ntransports = [polling]")
          .hocon();
      try (AgentProcess agent = AgentProcess.builder().name("large").httpPort(port).config(config).start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          MetricsSnapshot m = agent.scrape();
          assertThat(m.sum("socketio_canary_connected", fleet("ws", "websocket"))).isEqualTo(200);
          assertThat(m.sum("socketio_canary_connected", fleet("poll", "polling"))).isEqualTo(70);
        });
        // Still all there after a few long-poll cycles: polls did not starve each other.
        await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(7)).until(() -> true);
        MetricsSnapshot m = agent.scrape();
        assertThat(m.sum("socketio_canary_connected", fleet("poll", "polling"))).isEqualTo(70);
        assertThat(m.sum("socketio_canary_disconnects_total", fleet("ws", "websocket"))).isZero();
        assertThat(m.sum("socketio_canary_disconnects_total", fleet("poll", "polling"))).isZero();
        assertThat(server.stats().clients()).isEqualTo(270);
        assertThat(agent.stop()).isZero();
      }
    }
  }
}
