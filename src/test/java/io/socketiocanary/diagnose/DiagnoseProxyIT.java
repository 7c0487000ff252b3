package io.socketiocanary.diagnose;

import static io.socketiocanary.diagnose.Diagnoses.assertFailed;
import static io.socketiocanary.diagnose.Diagnoses.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.testsupport.HAProxy;
import io.socketiocanary.testsupport.Nginx;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The diagnosis in-process through real nginx and HAProxy on 127.0.0.1, one misconfiguration per test. */
class DiagnoseProxyIT {
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close();
  }

  @Test
  void nginxWithoutUpgradeHeadersFailsTheWebSocketCheckWith400AndLeavesClientsStuckOnPolling() throws Exception {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().start();
         Nginx nginx = Nginx.builder().upstream(server.port()).upgradeHeaders(false).start()) {
      Report report = Diagnoses.of(nginx.url()).run(vertx);
      assertFailed(report, "websocket", "upgrade");
      CheckResult websocket = report.check("websocket");
      assertThat(websocket.summary()).startsWith("HTTP 400 {\"code\":3,\"message\":\"Bad request\"} instead of 101")
          .contains("did not forward Upgrade/Connection");
      assertThat(websocket.fix()).contains("proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; "
          + "proxy_set_header Connection \"upgrade\";");
      assertThat(report.check("upgrade").summary()).startsWith("stuck on polling").contains("HTTP 400");
      // Polling still works, so the namespace is joined over it; the idle check needs WebSocket.
      assertThat(report.check("namespace").details()).containsEntry("transport", "polling");
      assertStatus(report, "namespace", Status.PASS);
      assertStatus(report, "idle", Status.SKIP);
    }
  }

  @Test
  void nginxReadTimeoutShorterThanThePingIntervalFailsTheIdleCheckAtTheTimeout() throws Exception {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().pingInterval(Duration.ofSeconds(10))
             .pingTimeout(Duration.ofSeconds(5)).start();
         Nginx nginx = Nginx.builder().upstream(server.port()).readTimeout(Duration.ofSeconds(2)).start()) {
      Report report = Diagnoses.of(nginx.url()).idle(Duration.ofSeconds(4)).run(vertx);
      assertFailed(report, "idle");
      CheckResult idle = report.check("idle");
      assertThat(idle.summary()).startsWith("died after 2.").contains("with no ping seen")
          .contains("shorter than the ping interval (10000 ms)");
      assertThat((Long) idle.details().get("diedAtMillis")).isBetween(1900L, 2600L);
      assertThat(idle.fix()).contains("proxy_read_timeout 3600s");
    }
  }

  @Test
  void haproxyTunnelTimeoutShorterThanThePingIntervalFailsTheIdleCheckAtTheTimeout() throws Exception {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().pingInterval(Duration.ofSeconds(10))
             .pingTimeout(Duration.ofSeconds(5)).start();
         HAProxy haproxy = HAProxy.builder().backend(server.port()).tunnelTimeout(Duration.ofSeconds(2)).start()) {
      Report report = Diagnoses.of(haproxy.url()).idle(Duration.ofSeconds(4)).run(vertx);
      assertFailed(report, "idle");
      CheckResult idle = report.check("idle");
      assertThat(idle.summary()).startsWith("died after 2.").contains("with no ping seen");
      assertThat((Long) idle.details().get("diedAtMillis")).isBetween(1900L, 2600L);
      assertThat(idle.fix()).contains("timeout tunnel 3600s");
    }
  }

  @Test
  void twoBackendsWithoutStickySessionsFailTheStickyCheckWithSessionIdUnknown() throws Exception {
    try (NodeSocketIoServer one = NodeSocketIoServer.builder().id("one").pingInterval(Duration.ofSeconds(1))
             .pingTimeout(Duration.ofSeconds(1)).start();
         NodeSocketIoServer two = NodeSocketIoServer.builder().id("two").pingInterval(Duration.ofSeconds(1))
             .pingTimeout(Duration.ofSeconds(1)).start();
         HAProxy haproxy = HAProxy.builder().backend(one.port(), two.port()).sticky(false).start()) {
      Report report = Diagnoses.of(haproxy.url()).run(vertx);
      assertStatus(report, "sticky", Status.FAIL);
      assertThat(report.check("sticky").summary()).contains("Session ID unknown");
      assertThat(report.check("sticky").fix()).contains("balance source").contains("ip_hash");
      // The upgrade request of a session is one more request that may reach the other backend.
      assertThat(report.checks()).filteredOn(c -> c.status() == Status.FAIL).extracting(CheckResult::name)
          .isSubsetOf("upgrade", "sticky");
      if (report.check("upgrade").status() == Status.FAIL) {
        assertThat(report.check("upgrade").fix()).contains("sticky sessions");
      }
    }
  }
}
