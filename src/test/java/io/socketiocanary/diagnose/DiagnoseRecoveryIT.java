package io.socketiocanary.diagnose;

import static io.socketiocanary.diagnose.Diagnoses.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.testsupport.Nginx;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The recovery check against real Node socket.io 4.8 servers on 127.0.0.1: the servers broadcast a
 * numbered "tick" every 200 ms, so the check's session gets an offset and misses some during its
 * 1 s cut.
 */
class DiagnoseRecoveryIT {
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close();
  }

  private static NodeSocketIoServer.Builder ticking(String id) {
    return NodeSocketIoServer.builder().id(id).pingInterval(Duration.ofSeconds(1)).pingTimeout(Duration.ofSeconds(1))
        .broadcast("tick", Duration.ofMillis(200));
  }

  private static void assertNoSessionSecrets(Report report) {
    CheckResult recovery = report.check("recovery");
    assertThat(recovery.details()).doesNotContainKeys("pid", "offset");
    assertThat(TextReport.render(report) + JsonReport.render(report)).doesNotContain("\"pid\"").doesNotContain("pid:")
        .doesNotContain("\"offset\"");
  }

  @Test
  void recoveryOnTheServerIsRecoveredWithTheSameSocketIdAndTheMissedEventsReplayed() throws Exception {
    try (NodeSocketIoServer server = ticking("a").recovery(Duration.ofSeconds(30), true).start()) {
      Report report = Diagnoses.of(server.url()).run(vertx);
      assertStatus(report, "recovery", Status.PASS);
      CheckResult recovery = report.check("recovery");
      assertThat(recovery.summary()).startsWith("session recovered after a 1.0 s abrupt cut: socket id "
          + recovery.details().get("socketId") + " kept");
      assertThat(recovery.details()).containsEntry("socketIdKept", true).containsEntry("recovered", true);
      // Five ticks a second, the connection cut for one: the server replays what it sent meanwhile.
      assertThat((Integer) recovery.details().get("replayedEvents")).isPositive();
      assertThat(server.process().lines()).anyMatch(l -> l.contains("sid=" + recovery.details().get("socketId"))
          && l.contains("recovered=true"));
      assertNoSessionSecrets(report);
      assertThat(report.exitCode()).isZero();
    }
  }

  @Test
  void recoveryOffOnTheServerSkipsWithTheFix() throws Exception {
    try (NodeSocketIoServer server = ticking("a").start()) {
      Report report = Diagnoses.of(server.url()).run(vertx);
      assertStatus(report, "recovery", Status.SKIP);
      CheckResult recovery = report.check("recovery");
      assertThat(recovery.summary()).startsWith("server does not offer connection state recovery");
      assertThat(recovery.fix()).contains("connectionStateRecovery");
      assertThat(TextReport.render(report)).contains("      fix: to offer it");
      assertThat(report.exitCode()).isZero();
    }
  }

  @Test
  void aSessionWithoutEventsCannotBeRecoveredAndWarnsHowToTest() throws Exception {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().pingInterval(Duration.ofSeconds(1))
        .pingTimeout(Duration.ofSeconds(1)).recovery(Duration.ofSeconds(30), true).start()) {
      Report report = Diagnoses.of(server.url()).run(vertx);
      assertStatus(report, "recovery", Status.WARN);
      CheckResult recovery = report.check("recovery");
      assertThat(recovery.summary()).contains("no event arrived on / within 5.0 s")
          .contains("a session that has received no event cannot be recovered");
      assertThat(recovery.fix()).contains("io.emit");
      assertThat(report.exitCode()).isZero();
    }
  }

  @Test
  void aCutLongerThanMaxDisconnectionDurationIsANewSession() throws Exception {
    try (NodeSocketIoServer server = ticking("a").recovery(Duration.ofMillis(300), true).start()) {
      Report report = Diagnoses.of(server.url()).run(vertx);
      assertStatus(report, "recovery", Status.FAIL);
      CheckResult recovery = report.check("recovery");
      assertThat(recovery.summary()).startsWith("not recovered after a 1.0 s abrupt cut: the server answered with a "
          + "new session").contains("maxDisconnectionDuration shorter than 1.0 s");
      assertThat(recovery.details()).containsEntry("recovered", false).containsEntry("socketIdKept", false);
      assertThat(recovery.fix()).contains("maxDisconnectionDuration");
      assertNoSessionSecrets(report);
    }
  }

  @Test
  void twoServersBehindRoundRobinNginxAreNotRecoveredAndTheFixIsStickySessions() throws Exception {
    try (NodeSocketIoServer a = ticking("a").recovery(Duration.ofSeconds(30), true).start();
        NodeSocketIoServer b = ticking("b").recovery(Duration.ofSeconds(30), true).start();
        // One nginx worker, round robin: each new connection goes to the other server.
        Nginx nginx = Nginx.builder().upstream(a.port(), b.port()).start()) {
      Report report = Diagnoses.of(nginx.url()).run(vertx);
      assertStatus(report, "sticky", Status.FAIL);
      assertStatus(report, "recovery", Status.FAIL);
      CheckResult recovery = report.check("recovery");
      assertThat(recovery.summary()).contains("the server answered with a new session")
          .contains("likely cause: requests of one session reach different backends");
      assertThat(recovery.details()).containsEntry("recovered", false);
      assertThat(recovery.fix()).contains("sticky sessions").contains("ip_hash").contains("Redis Streams");
      assertNoSessionSecrets(report);
    }
  }
}
