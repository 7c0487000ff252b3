package io.socketiocanary.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.diagnose.DiagnoseCli.Outcome;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.ManagedProcess;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import io.socketiocanary.testsupport.TlsTerminator;
import io.socketiocanary.testsupport.Tools;
import io.vertx.core.Vertx;
import java.nio.file.Files;
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
 * A real Socket.IO server behind a TLS terminator on 127.0.0.1 whose certificate expired on
 * 2024-02-01. The certificate is signed by a test CA that the diagnose process trusts (a trust
 * store passed with {@code -Djavax.net.ssl.trustStore}), so expiry is the only thing wrong with it.
 */
class DiagnoseExpiredCertificateIT {
  private static final String NOT_AFTER = "2024-02-01T00:00:00Z";
  /** The JDK's reason, down the cause chain; note the "PKIX" in it. */
  private static final String JDK_SAYS = "Failed to create SSL connection: PKIX path validation failed: "
      + "java.security.cert.CertPathValidatorException: validity check failed: NotAfter: Thu Feb 01 00:00:00 UTC 2024";
  @TempDir static Path dir;
  private static Vertx vertx;
  private static NodeSocketIoServer server;
  private static int port;
  private static List<String> trustTestCa;

  @BeforeAll
  static void startExpiredTlsInFrontOfSocketIo() throws Exception {
    Path openssl = Tools.require("openssl");
    run("ca", openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
        "-out", "ca.pem", "-days", "3650", "-subj", "/CN=canary-test-ca");
    run("csr", openssl.toString(), "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem",
        "-out", "leaf.csr", "-subj", "/CN=canary-expired");
    // `openssl ca` is the one openssl 1.1 and 3.x command that signs with explicit past dates.
    Files.writeString(dir.resolve("ca.cnf"), "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\n"
        + "new_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = any\n[any]\ncommonName = supplied\n");
    Files.writeString(dir.resolve("index.txt"), "");
    Files.writeString(dir.resolve("serial"), "01\n");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    run("sign", openssl.toString(), "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key",
        "-in", "leaf.csr", "-out", "leaf.pem", "-notext", "-extfile", "san.ext",
        "-startdate", "20240101000000Z", "-enddate", "20240201000000Z");
    Files.writeString(dir.resolve("chain.pem"),
        Files.readString(dir.resolve("leaf.pem")) + Files.readString(dir.resolve("ca.pem")));
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    run("truststore", keytool.toString(), "-importcert", "-noprompt", "-alias", "canary-test-ca",
        "-file", "ca.pem", "-keystore", "trust.p12", "-storetype", "PKCS12", "-storepass", "changeit");
    // UTC: the JDK prints NotAfter in the JVM's time zone, and the assertions quote it.
    trustTestCa = List.of("-Duser.timezone=UTC", "-Djavax.net.ssl.trustStore=" + dir.resolve("trust.p12"),
        "-Djavax.net.ssl.trustStoreType=PKCS12", "-Djavax.net.ssl.trustStorePassword=changeit");

    server = NodeSocketIoServer.builder().pingInterval(Duration.ofSeconds(1)).pingTimeout(Duration.ofSeconds(1)).start();
    vertx = Vertx.vertx();
    port = FreePorts.pick();
    TlsTerminator.start(vertx, port, server.port(), dir.resolve("key.pem"), dir.resolve("chain.pem"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void anExpiredCertificateFromATrustedCaFailsTheTlsCheckAsExpiredAndLaterChecksSkip() {
    Outcome out = DiagnoseCli.run("expired-cert", trustTestCa, "https://127.0.0.1:" + port, "--idle", "2s");
    assertThat(out.exitCode()).as(out.output()).isEqualTo(1);

    assertThat(out.status("tls")).isEqualTo("fail");
    assertThat(out.summary("tls")).isEqualTo("expired certificate: " + JDK_SAYS);
    assertThat(out.fix("tls")).isEqualTo("renew the certificate");
    JsonChain leaf = JsonChain.leaf(out);
    assertThat(leaf.subject()).isEqualTo("CN=canary-expired");
    assertThat(leaf.notAfter()).isEqualTo(NOT_AFTER);
    assertThat(leaf.daysLeft()).isNegative();
    for (String name : List.of("handshake", "cors", "websocket", "upgrade", "sticky", "namespace", "idle")) {
      assertThat(out.status(name)).as(name).isEqualTo("skip");
      assertThat(out.summary(name)).as(name).isEqualTo("tls failed (--insecure continues anyway)");
    }
  }

  @Test
  void insecureReportsTheExpiredCertificateAsAWarningAndReachesTheSocketIoServerBehindIt() {
    Outcome out = DiagnoseCli.run("expired-cert-insecure", trustTestCa, "https://127.0.0.1:" + port,
        "--insecure", "--idle", "2s");
    assertThat(out.exitCode()).as(out.output()).isZero();

    assertThat(out.status("tls")).isEqualTo("warn");
    assertThat(out.summary("tls")).isEqualTo("expired certificate (continuing: --insecure): " + JDK_SAYS);
    for (String name : List.of("handshake", "websocket", "upgrade", "sticky", "namespace", "idle")) {
      assertThat(out.status(name)).as(name + ": " + out.summary(name)).isEqualTo("pass");
    }
  }

  /** The first certificate of the chain the TLS check reports in its details. */
  private record JsonChain(String subject, String notAfter, long daysLeft) {
    static JsonChain leaf(Outcome out) {
      var first = out.check("tls").getJsonObject("details").getJsonArray("chain").getJsonObject(0);
      return new JsonChain(first.getString("subject"), first.getString("notAfter"), first.getLong("daysLeft"));
    }
  }

  private static void run(String step, String... command) {
    ManagedProcess p = ManagedProcess.start("expired-cert-" + step, List.of(command), Map.of(), dir);
    assertThat(p.awaitExit(Duration.ofSeconds(30))).as(p.describeTail()).hasValue(0);
  }
}
