package io.socketiocanary.client;

import static io.socketiocanary.testsupport.Fleets.fleet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.ManagedProcess;
import io.socketiocanary.testsupport.MetricsSnapshot;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import io.socketiocanary.testsupport.TlsTerminator;
import io.socketiocanary.testsupport.Tools;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS targets: system trust by default, a private CA file per target, and a loud insecure mode. */
class TlsTargetsIT {
  @TempDir Path dir;

  @Test
  void aPrivateCaIsTrustedPerTargetAnUnknownOneIsNotAndSkippingVerificationIsLoud() throws Exception {
    Path openssl = Tools.require("openssl");
    Path key = dir.resolve("key.pem");
    Path cert = dir.resolve("cert.pem");
    ManagedProcess mint = ManagedProcess.start("openssl", List.of(openssl.toString(), "req", "-x509",
        "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"), Map.of(), null);
    assertThat(mint.awaitExit(Duration.ofSeconds(30))).hasValue(0);

    Vertx vertx = Vertx.vertx();
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().start()) {
      int tlsPort = FreePorts.pick();
      TlsTerminator.start(vertx, tlsPort, server.port(), key, cert);
      String url = "https://127.0.0.1:" + tlsPort;
      int port = FreePorts.pick();
      String config = CanaryConfig.onPort(port)
          .target("privateca", url, "clients = 1\ntls.ca-file = \"" + cert + "\"")
          .target("systemtrust", url, "clients = 1\ntransports = [websocket, polling]")
          .target("insecure", url, "clients = 1\ntransports = [websocket]\ntls.insecure-skip-verify = true")
          .hocon();
      try (AgentProcess agent = AgentProcess.builder().name("tls").httpPort(port).config(config).start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          MetricsSnapshot m = agent.scrape();
          for (String transport : new String[] {"websocket", "polling", "polling_upgrade"}) {
            assertThat(m.sum("socketio_canary_connected", fleet("privateca", transport))).as(transport).isEqualTo(1);
          }
          for (String transport : new String[] {"websocket", "polling"}) {
            assertThat(m.sum("socketio_canary_connect_errors_total", fleet("systemtrust", transport, "tls")))
                .as(transport).isPositive();
          }
          assertThat(m.sum("socketio_canary_connected", fleet("insecure", "websocket"))).isEqualTo(1);
        });
        assertThat(agent.scrape().series("socketio_canary_build_info")).singleElement()
            .satisfies(s -> assertThat(s.labels()).containsEntry("tls_insecure", "true"));
        agent.process().awaitLine(java.util.regex.Pattern.compile(
            "TLS CERTIFICATE VERIFICATION IS OFF for this target.*target=insecure"), Duration.ofSeconds(5));
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
