package io.socketiocanary.soak;

import static io.socketiocanary.testsupport.Fleets.TRANSPORTS;
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
 * SIGTERM ends the agent with exit code 0 within {@link #EXIT_BOUND}, whatever its canaries are
 * doing: connected, backing off against a target that is down (the client's non-daemon reconnect
 * Timers pending), or in the middle of a reconnect storm.
 */
class ShutdownIT {
  static final Duration EXIT_BOUND = Duration.ofSeconds(5);
  static final int CLIENTS = 20;
  /**
   * Longer than the reconnect wave is spread, so most of it is held at once; inside the 2 s after
   * which a closing canary cancels its calls (Canary.CALL_GRACE), so every held one is answered.
   */
  static final Duration HANDSHAKE_DELAY = Duration.ofMillis(1200);

  @Test
  void sigtermWhileEveryCanaryIsConnectedExitsZeroPromptly() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().start()) {
      int port = FreePorts.pick();
      try (AgentProcess agent = start("shutdown-connected", port, server.url())) {
        await().atMost(Duration.ofSeconds(40)).until(() -> server.stats().clients() == 3 * CLIENTS);
        measureSigterm(agent, "all 60 connected");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().clients() == 0);
      }
    }
  }

  /**
   * An engine closed while its handshake is unanswered sends no close packet (java-client-notes),
   * so a shutdown that did not wait for it left the session the server then answered with open
   * until the server's ping timeout (25 + 20 s here): 20–40 sessions of 60 canaries were left by a
   * SIGTERM during their first connects.
   */
  @Test
  void sigtermWhileHandshakesAreInFlightLeavesNoSessionOnTheServer() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().handshakeDelay(HANDSHAKE_DELAY).start()) {
      int port = FreePorts.pick();
      try (AgentProcess agent = start("shutdown-handshaking", port, server.url())) {
        await().atMost(Duration.ofSeconds(40)).until(() -> server.stats().clients() == 3 * CLIENTS);
        // Every session closed by the server: the fleet reconnects after 0.5-1.5 s (delay 1 s,
        // randomization 0.5), and SIGTERM lands while most new handshakes are held, polling ones
        // among them (not while the agent is still starting, before its shutdown hook).
        server.closeEngines();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
            .until(() -> server.stats().handshakesHeld() >= 2 * CLIENTS);
        measureSigterm(agent, "handshakes in flight");
        // The held handshakes were answered, each making a session; every one must have been closed.
        assertThat(server.stats().handshakesHeld()).as("handshakes still held after the agent exited").isZero();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
            assertThat(server.stats().clients()).as("sessions the server still holds").isZero());
      }
    }
  }

  @Test
  void sigtermWhileEveryCanaryBacksOffAgainstADeadTargetExitsZeroPromptly() {
    int dead = FreePorts.pick();
    int port = FreePorts.pick();
    try (AgentProcess agent = start("shutdown-backing-off", port, "http://127.0.0.1:" + dead)) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        MetricsSnapshot m = agent.scrape();
        for (String transport : TRANSPORTS) {
          assertThat(m.sum("socketio_canary_reconnect_attempts_total", fleet("dead", transport)))
              .as(transport).isGreaterThanOrEqualTo(2 * CLIENTS);
        }
      });
      measureSigterm(agent, "all 60 backing off");
    }
  }

  @Test
  void sigtermInTheMiddleOfAReconnectStormExitsZeroPromptly() {
    NodeSocketIoServer server = NodeSocketIoServer.builder()
        .pingInterval(Duration.ofSeconds(2)).pingTimeout(Duration.ofSeconds(1)).start();
    int port = FreePorts.pick();
    try (AgentProcess agent = start("shutdown-storm", port, server.url())) {
      await().atMost(Duration.ofSeconds(40)).until(() -> server.stats().clients() == 3 * CLIENTS);
      // Down for a moment, back again: 60 canaries reconnect at once, and SIGTERM lands among them.
      server.restart(Duration.ofMillis(700));
      measureSigterm(agent, "reconnect storm");
    } finally {
      server.close();
    }
  }

  private static AgentProcess start(String name, int port, String url) {
    String target = name.equals("shutdown-backing-off") ? "dead" : "api";
    String config = CanaryConfig.onPort(port).target(target, url, "clients = " + CLIENTS).hocon();
    AgentProcess agent = AgentProcess.builder().name(name).httpPort(port).config(config).start();
    agent.awaitReady(Duration.ofSeconds(30));
    return agent;
  }

  private static void measureSigterm(AgentProcess agent, String situation) {
    long start = System.nanoTime();
    int code = agent.stop();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf("shutdown: SIGTERM with %s: exit %d after %d ms%n", situation, code, took.toMillis());
    assertThat(code).as("exit code after SIGTERM (%s)", situation).isZero();
    assertThat(took).as("exit time (%s)", situation).isLessThan(EXIT_BOUND);
    assertThat(String.join("\n", agent.process().lines())).contains("stopped");
  }
}
