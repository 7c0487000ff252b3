package io.socketiocanary.diagnose;

import static io.socketiocanary.diagnose.Diagnoses.assertFailed;
import static io.socketiocanary.diagnose.Diagnoses.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.ManagedProcess;
import io.socketiocanary.testsupport.Tools;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS target whose certificate no one trusts: a self-signed certificate made by openssl, served
 * by a tiny Vert.x HTTPS server on 127.0.0.1 that is not a Socket.IO server at all.
 */
class DiagnoseTlsIT {
  @TempDir static Path dir;
  private static Vertx vertx;
  private static HttpServer server;
  private static int port;

  @BeforeAll
  static void startSelfSignedServer() throws Exception {
    Path openssl = Tools.require("openssl");
    ManagedProcess gen = ManagedProcess.start("openssl-self-signed", List.of(openssl.toString(), "req", "-x509",
        "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("key.pem").toString(),
        "-out", dir.resolve("cert.pem").toString(), "-days", "30", "-subj", "/CN=canary-self-signed",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"), Map.of(), dir);
    assertThat(gen.awaitExit(Duration.ofSeconds(30))).as(gen.describeTail()).hasValue(0);
    vertx = Vertx.vertx();
    port = FreePorts.pick();
    server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
            .setKeyPath(dir.resolve("key.pem").toString()).setCertPath(dir.resolve("cert.pem").toString())))
        .requestHandler(request -> request.response().end("hello, not socket.io"))
        .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close();
    }
  }

  @Test
  void anUntrustedCertificateFailsTheTlsCheckWithTheJdkReasonAndLaterChecksSkip() throws Exception {
    Report report = Diagnoses.of("https://127.0.0.1:" + port).run(vertx);
    assertFailed(report, "tls");
    CheckResult tls = report.check("tls");
    assertThat(tls.summary()).startsWith("untrusted certificate: ").contains("PKIX path building failed");
    assertThat(tls.details().get("chain").toString()).contains("CN=canary-self-signed").contains("daysLeft=29");
    for (String name : List.of("handshake", "cors", "websocket", "upgrade", "sticky", "namespace", "idle")) {
      assertStatus(report, name, Status.SKIP);
    }
  }

  @Test
  void insecureContinuesPastTheUntrustedCertificateWithAWarning() throws Exception {
    Report report = Diagnoses.of("https://127.0.0.1:" + port).insecure().run(vertx);
    assertStatus(report, "tls", Status.WARN);
    assertThat(report.check("tls").summary()).contains("--insecure");
    // The handshake is reached over TLS: this server is no Socket.IO server, and the check says so.
    assertFailed(report, "handshake", "websocket");
    assertThat(report.check("handshake").summary()).contains("not an Engine.IO open packet");
    assertThat(report.check("websocket").summary()).startsWith("HTTP 200 hello, not socket.io instead of 101");
  }
}
