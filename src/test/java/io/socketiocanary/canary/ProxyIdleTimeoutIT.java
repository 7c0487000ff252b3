package io.socketiocanary.canary;

import static io.socketiocanary.testsupport.Fleets.TRANSPORTS;
import static io.socketiocanary.testsupport.Fleets.fleet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.DetectorLog;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.MetricsSnapshot;
import io.socketiocanary.testsupport.Nginx;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The field guide's midnight incident scaled to seconds: nginx {@code proxy_read_timeout 3s} in
 * front of a server that pings every 10 s, so every idle connection is cut before the next ping.
 *
 * <p>nginx re-arms a timer only when the new deadline moves it by 300 ms or more
 * ({@code NGX_TIMER_LAZY_DELAY}), so an upgraded connection is cut 3 s after the <em>first</em> byte
 * of a burst shorter than that: the 101 and Engine.IO open packet, not the CONNECT answer that
 * starts the canary's lifetime. A WebSocket lifetime is therefore 3 s minus the CONNECT round trip.
 * Loopback makes that a few ms, except for the first connections of a JVM still loading classes
 * on a busy machine: 2.80–2.85 s measured there beside three busy cores, 2.97–3.00 s afterwards.
 * The clustering is judged on the cuts after that first generation.
 */
class ProxyIdleTimeoutIT {
  static final double PROXY_TIMEOUT_S = 3.0;

  @Test
  void everyTransportModeRecordsDisconnectsLifetimesAtTheProxyTimeoutAndReconnects() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder()
            .pingInterval(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(5)).start();
        Nginx nginx = Nginx.builder().upstream(server.port())
            .readTimeout(Duration.ofMillis((long) (PROXY_TIMEOUT_S * 1000))).start()) {
      int port = FreePorts.pick();
      // Full detail: its lifetime buckets at 0.95·T and 1.05·T show the cut as one narrow cluster.
      String config = CanaryConfig.onPort(port).agent("metrics { detail = full }")
          .target("chat", nginx.url(), "clients = 2").hocon();
      // DEBUG: the agent logs every cut the detector weighs, printed if a fleet stays unnamed.
      try (AgentProcess agent = AgentProcess.builder().name("idle-timeout").httpPort(port).config(config)
          .env("CANARY_LOG_LEVEL", "DEBUG").start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        MetricsSnapshot firstGeneration = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(agent::scrape, m -> Arrays.stream(TRANSPORTS).allMatch(transport ->
                m.histogramCount("socketio_canary_connection_lifetime_seconds", fleet("chat", transport)) >= 2));
        // About 3.6 s a generation of two cuts. A claim needs 10 cuts at least (two first
        // connections, 8 repeats); IdleTimeoutDetectorTest: 9,999 fleets of 10,000 with lifetimes
        // that agree to milliseconds are named within 16 cuts, within 38 when they vary by 0.1 s.
        DetectorLog.printIfFails(agent, () -> await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
            .untilAsserted(() -> {
              MetricsSnapshot m = agent.scrape();
              for (String transport : TRANSPORTS) {
                assertThat(m.histogramCount("socketio_canary_connection_lifetime_seconds", fleet("chat", transport)))
                    .as(transport).isGreaterThanOrEqualTo(6);
                assertThat(m.histogramCount("socketio_canary_reconnect_duration_seconds", fleet("chat", transport)))
                    .as(transport).isGreaterThanOrEqualTo(4);
                assertThat(m.value("socketio_canary_suspected_idle_timeout_seconds", fleet("chat", transport)))
                    .as("%s suspected idle timeout", transport).isPresent();
              }
            }));

        MetricsSnapshot m = agent.scrape();
        for (String transport : TRANSPORTS) {
          Map<String, String> labels = fleet("chat", transport);
          double lifetimes = m.histogramCount("socketio_canary_connection_lifetime_seconds", labels);
          double meanLifetime = m.histogramSum("socketio_canary_connection_lifetime_seconds", labels) / lifetimes;
          assertThat(meanLifetime).as("%s mean lifetime", transport)
              .isBetween(PROXY_TIMEOUT_S * 0.8, PROXY_TIMEOUT_S * 1.2);
          // Clustered: after the first generation (see above) nearly all lifetimes fall in the
          // (2.85, 3.15] bucket around the timeout.
          Map<Double, Double> buckets = m.bucketCounts("socketio_canary_connection_lifetime_seconds", labels);
          Map<Double, Double> before = firstGeneration.bucketCounts("socketio_canary_connection_lifetime_seconds", labels);
          double later = lifetimes - firstGeneration.histogramCount("socketio_canary_connection_lifetime_seconds", labels);
          double inCluster = buckets.get(3.15) - buckets.get(2.85) - (before.get(3.15) - before.get(2.85));
          assertThat(inCluster / later).as("%s share of later lifetimes in (2.85, 3.15] s: %s, first generation %s",
              transport, buckets, before).isGreaterThan(0.8);

          double cut = m.sum("socketio_canary_disconnects_total", fleet("chat", transport, "transport_close"))
              + m.sum("socketio_canary_disconnects_total", fleet("chat", transport, "transport_error"));
          assertThat(cut).as("%s disconnects by transport close/error", transport)
              .isEqualTo(m.sum("socketio_canary_disconnects_total", labels));

          double reconnects = m.histogramCount("socketio_canary_reconnect_duration_seconds", labels);
          double meanReconnect = m.histogramSum("socketio_canary_reconnect_duration_seconds", labels) / reconnects;
          // Reconnection delay 500 ms ± 50 %, capped at 1 s, plus a loopback handshake.
          assertThat(meanReconnect).as("%s mean reconnect", transport).isBetween(0.2, 1.6);
          assertThat(m.sum("socketio_canary_reconnect_attempts_total", labels)).isGreaterThanOrEqualTo(reconnects);
        }
        // Lifetimes within ±10 % ending in transport close/error, each a repeat, whatever the outage before: named.
        for (String transport : TRANSPORTS) {
          assertThat(m.value("socketio_canary_suspected_idle_timeout_seconds", fleet("chat", transport)))
              .as("%s suspected idle timeout", transport).isPresent()
              .hasValueSatisfying(v -> assertThat(v).isBetween(PROXY_TIMEOUT_S * 0.9, PROXY_TIMEOUT_S * 1.1));
        }
        agent.process().awaitLine(java.util.regex.Pattern.compile(
            "connections die after 3\\.0 s idle; server pings every 10 s; the proxy's read"
                + " timeout must exceed pingInterval \\+ pingTimeout \\(15 s\\)"), Duration.ofSeconds(5));
        // The cut shows up in both of nginx's ways: a WebSocket closed at the timeout, a long-poll answered 504.
        assertThat(m.sum("socketio_canary_disconnects_total", fleet("chat", "websocket", "transport_close"))
            + m.sum("socketio_canary_disconnects_total", fleet("chat", "websocket", "transport_error"))).isPositive();
        assertThat(m.sum("socketio_canary_disconnects_total", fleet("chat", "polling", "transport_error"))).isPositive();
      }
    }
  }
}
