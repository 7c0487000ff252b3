package io.socketiocanary.failure;

import static io.socketiocanary.testsupport.Fleets.fleet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.HAProxy;
import io.socketiocanary.testsupport.MetricsSnapshot;
import io.socketiocanary.testsupport.Nginx;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every practical cause in the field guide that loopback can produce, each as its own target of
 * one agent, and the exact reason the fleet's metrics name for it.
 */
class FailureReasonsIT {

  @Test
  void eachBrokenTargetIsNamedByItsCause() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (NodeSocketIoServer plain = NodeSocketIoServer.builder().id("plain").start();
        NodeSocketIoServer strictCors = NodeSocketIoServer.builder().corsOrigin("https://app.example.com").start();
        NodeSocketIoServer tokenServer = NodeSocketIoServer.builder().token("the-right-token").start();
        NodeSocketIoServer chatOnly = NodeSocketIoServer.builder().namespace("/chat").start();
        NodeSocketIoServer v2 = NodeSocketIoServer.builder().version(2).start();
        NodeSocketIoServer backendA = NodeSocketIoServer.builder().id("a").start();
        NodeSocketIoServer backendB = NodeSocketIoServer.builder().id("b").start();
        Nginx noUpgrade = Nginx.builder().upstream(plain.port()).upgradeHeaders(false).start();
        HAProxy notSticky = HAProxy.builder().backend(backendA.port(), backendB.port()).sticky(false).start()) {
      int tlsPort = FreePorts.pick();
      SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
      HttpServer tls = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
              .setKeyCertOptions(cert.keyCertOptions()).setHost("127.0.0.1").setPort(tlsPort))
          .requestHandler(req -> req.response().end("not reached: the canary must refuse the certificate"));
      tls.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      int refusedPort = FreePorts.pick();

      int port = FreePorts.pick();
      String config = CanaryConfig.onPort(port)
          .target("noupgrade", noUpgrade.url(), "clients = 1")
          .target("corsrejected", strictCors.url(), "clients = 1\norigin = \"https://evil.example.com\"")
          .target("corsmissing", plain.url(), "clients = 1\ntransports = [websocket, polling]\norigin = \"https://app.example.com\"")
          .target("auth", tokenServer.url(), "clients = 1\ntransports = [websocket]\nauth.token = \"an-expired-token\"")
          .target("namespace", chatOnly.url(), "clients = 1\ntransports = [websocket]\nnamespace = \"/other\"")
          .target("v2", v2.url(), "clients = 1\ntransports = [websocket, polling]")
          .target("notsticky", notSticky.url(), "clients = 1\ntransports = [polling]")
          .target("refused", "http://127.0.0.1:" + refusedPort, "clients = 1\ntransports = [websocket]")
          .target("untrusted", "https://127.0.0.1:" + tlsPort, "clients = 1\ntransports = [websocket, polling]")
          .hocon();
      try (AgentProcess agent = AgentProcess.builder().name("failure-reasons").httpPort(port).config(config).start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
          MetricsSnapshot m = agent.scrape();
          // A proxy that drops the Upgrade header: WebSocket cannot connect, polling can, and the
          // polling_upgrade fleet is connected but stuck on polling.
          assertErrors(m, "noupgrade", "websocket", "websocket_upgrade");
          assertThat(m.sum("socketio_canary_connected", fleet("noupgrade", "polling"))).isEqualTo(1);
          assertThat(m.sum("socketio_canary_upgrades_total",
              Map.of("target", "noupgrade", "transport", "polling_upgrade", "result", "failure")))
              .isPositive();
          assertThat(m.sum("socketio_canary_transport",
              Map.of("target", "noupgrade", "transport", "polling_upgrade", "name", "polling")))
              .isEqualTo(1);

          for (String transport : new String[] {"websocket", "polling", "polling_upgrade"}) {
            assertErrors(m, "corsrejected", transport, "cors");
          }
          // The field guide's incident: the server never answers with CORS headers, so a browser
          // at that origin fails on polling while WebSocket (not subject to CORS) works.
          assertErrors(m, "corsmissing", "polling", "cors");
          assertThat(m.sum("socketio_canary_connected", fleet("corsmissing", "websocket"))).isEqualTo(1);

          assertErrors(m, "auth", "websocket", "auth");
          assertErrors(m, "namespace", "websocket", "invalid_namespace");
          assertErrors(m, "v2", "websocket", "protocol_mismatch");
          assertErrors(m, "v2", "polling", "protocol_mismatch");
          assertErrors(m, "notsticky", "polling", "session_unknown");
          assertErrors(m, "refused", "websocket", "connection_refused");
          assertErrors(m, "untrusted", "websocket", "tls");
          assertErrors(m, "untrusted", "polling", "tls");
        });
        // The canary never gives up where the client would (a middleware rejection leaves the
        // Java client inactive): attempts keep coming.
        double attempts = agent.scrape().sum("socketio_canary_reconnect_attempts_total", fleet("auth", "websocket"));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
            agent.scrape().sum("socketio_canary_reconnect_attempts_total", fleet("auth", "websocket")))
            .isGreaterThan(attempts));
        String status = agent.get("/api/status").body();
        assertThat(status).contains("token expired").doesNotContain("an-expired-token");
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aServerThatStopsPingingIsAPingTimeoutAndAnHaproxyTunnelTimeoutIsAnIdleCut() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder()
            .pingInterval(Duration.ofSeconds(1)).pingTimeout(Duration.ofSeconds(1)).start();
        NodeSocketIoServer slowPings = NodeSocketIoServer.builder()
            .pingInterval(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(5)).start();
        HAProxy haproxy = HAProxy.builder().backend(slowPings.port()).tunnelTimeout(Duration.ofSeconds(3)).start()) {
      int port = FreePorts.pick();
      String config = CanaryConfig.onPort(port)
          .target("silent", server.url(), "clients = 1\ntransports = [websocket, polling]")
          .target("haproxy", haproxy.url(), "clients = 2\ntransports = [websocket]")
          .hocon();
      try (AgentProcess agent = AgentProcess.builder().name("ping-timeout").httpPort(port).config(config).start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
            assertThat(agent.scrape().sum("socketio_canary_connected", fleet("silent", "websocket"))).isEqualTo(1));
        server.stopPings(Duration.ofSeconds(4));
        // Two canaries cut every ~3.6 s each. The detector names the age after 10 cuts at least
        // (two first connections, 8 repeats); IdleTimeoutDetectorTest: 9,999 fleets in 10,000
        // within 16 when, as here, lifetimes agree to milliseconds: 8 generations, ~30 s.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
          MetricsSnapshot m = agent.scrape();
          for (String transport : new String[] {"websocket", "polling"}) {
            assertThat(m.sum("socketio_canary_disconnects_total", fleet("silent", transport, "ping_timeout")))
                .as("%s ping timeouts", transport).isPositive();
          }
          Map<String, String> ws = fleet("haproxy", "websocket");
          assertThat(m.histogramCount("socketio_canary_connection_lifetime_seconds", ws)).isGreaterThanOrEqualTo(5);
          assertThat(m.value("socketio_canary_suspected_idle_timeout_seconds", ws))
              .hasValueSatisfying(v -> assertThat(v).isBetween(2.7, 3.3));
        });
      }
    }
  }

  private static void assertErrors(MetricsSnapshot m, String target, String transport, String reason) {
    assertThat(m.sum("socketio_canary_connect_errors_total", fleet(target, transport, reason)))
        .as("%s/%s connect errors with reason %s; all: %s", target, transport, reason,
            m.series("socketio_canary_connect_errors_total").stream()
                .filter(s -> s.labels().get("target").equals(target) && s.labels().get("transport").equals(transport)
                    && s.value() > 0).toList())
        .isPositive();
    assertThat(m.sum("socketio_canary_connected", fleet(target, transport))).as("%s/%s connected", target, transport)
        .isZero();
  }
}
