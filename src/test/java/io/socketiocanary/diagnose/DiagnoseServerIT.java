package io.socketiocanary.diagnose;

import static io.socketiocanary.diagnose.Diagnoses.assertFailed;
import static io.socketiocanary.diagnose.Diagnoses.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The diagnosis in-process against real Socket.IO servers on 127.0.0.1, one scenario per test. */
class DiagnoseServerIT {
  private static final List<String> AFTER_HANDSHAKE = List.of("cors", "websocket", "upgrade", "sticky", "namespace",
      "recovery", "idle");
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close();
  }

  private static NodeSocketIoServer.Builder fastPings() {
    return NodeSocketIoServer.builder().pingInterval(Duration.ofSeconds(1)).pingTimeout(Duration.ofSeconds(1));
  }

  @Test
  void aHealthyServerPassesEveryCheckIncludingCorsForTheAllowedOrigin() throws Exception {
    try (NodeSocketIoServer server = fastPings().corsOrigin("https://good.example").start()) {
      Report report = Diagnoses.of(server.url()).origin("https://good.example").run(vertx);
      assertFailed(report);
      assertThat(report.checks()).filteredOn(c -> c.status() != Status.PASS).extracting(CheckResult::name)
          .containsExactly("tls", "recovery");
      assertThat(report.check("recovery").summary()).startsWith("server does not offer connection state recovery");
      assertThat(report.check("handshake").details()).containsEntry("pingInterval", 1000L);
      assertThat(report.check("idle").summary()).contains("pings answered");
      assertThat(report.exitCode()).isZero();
    }
  }

  @Test
  void aRejectedOriginFailsTheCorsCheckWithOriginNotAllowed() throws Exception {
    try (NodeSocketIoServer server = fastPings().corsOrigin("https://good.example").start()) {
      Report report = Diagnoses.of(server.url()).origin("https://evil.example").run(vertx);
      assertFailed(report, "cors");
      assertThat(report.check("cors").summary()).contains("origin not allowed").contains("403");
      assertThat(report.check("cors").fix()).contains("https://evil.example");
    }
  }

  @Test
  void aRejectedTokenFailsTheNamespaceCheckAsAuthAndTheTokenIsNeverPrinted() throws Exception {
    String token = "wrong-token-4711";
    String header = "header-secret-0815";
    try (NodeSocketIoServer server = fastPings().token("right-token-1234").start()) {
      Report report = Diagnoses.of(server.url()).token(token).header("X-Api-Key", header).run(vertx);
      assertFailed(report, "namespace");
      assertThat(report.check("namespace").summary()).contains("auth").contains("token expired");
      assertThat(report.check("namespace").fix()).contains("token");
      assertStatus(report, "idle", Status.SKIP);
      assertThat(TextReport.render(report) + JsonReport.render(report)).doesNotContain(token).doesNotContain(header);
    }
  }

  @Test
  void anUnknownNamespaceFailsTheNamespaceCheckAsInvalidNamespace() throws Exception {
    try (NodeSocketIoServer server = fastPings().namespace("/chat").start()) {
      Report report = Diagnoses.of(server.url()).namespace("/other").run(vertx);
      assertFailed(report, "namespace");
      assertThat(report.check("namespace").summary()).startsWith("invalid namespace /other");
    }
  }

  @Test
  void aSocketIoV2ServerFailsTheHandshakeWithAProtocolMismatchAndLaterChecksSkip() throws Exception {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().version(2).start()) {
      Report report = Diagnoses.of(server.url()).run(vertx);
      assertFailed(report, "handshake");
      assertThat(report.check("handshake").summary())
          .isEqualTo("server speaks Engine.IO 3 (Socket.IO v2); client v4 cannot connect");
      AFTER_HANDSHAKE.forEach(name -> assertStatus(report, name, Status.SKIP));
    }
  }

  @Test
  void aRefusedConnectionFailsTheTcpCheckAndEveryLaterCheckSkips() throws Exception {
    Report report = Diagnoses.of("http://127.0.0.1:" + FreePorts.pick()).run(vertx);
    assertFailed(report, "tcp");
    assertThat(report.check("tcp").summary()).startsWith("connection refused");
    for (String name : List.of("tls", "handshake", "cors", "websocket", "upgrade", "sticky", "namespace", "recovery",
        "idle")) {
      assertStatus(report, name, Status.SKIP);
      assertThat(report.check(name).summary()).isEqualTo("tcp connect failed");
    }
  }

  @Test
  void aServerThatStopsPingingFailsTheIdleCheckWithNoPingWithinTheBudget() throws Exception {
    try (NodeSocketIoServer server = fastPings().start()) {
      server.stopPings(Duration.ofSeconds(30));
      long start = System.nanoTime();
      Report report = Diagnoses.of(server.url()).idle(Duration.ofSeconds(5)).run(vertx);
      assertFailed(report, "idle");
      assertThat(report.check("idle").summary()).startsWith("no ping within pingInterval + pingTimeout (2000 ms)");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }
}
