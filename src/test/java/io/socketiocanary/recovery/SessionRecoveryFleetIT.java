package io.socketiocanary.recovery;

import static io.socketiocanary.testsupport.Fleets.fleet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.MetricsSnapshot;
import io.socketiocanary.testsupport.Nginx;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The "done when", against real Node socket.io 4.8 servers behind a real nginx: canaries
 * offer their session when they reconnect, and the agent counts what came back and what was lost.
 * The servers broadcast numbered "tick" events only when the test asks, with numbers the test
 * chooses, so what a canary missed is known exactly.
 */
class SessionRecoveryFleetIT {
  private static final Pattern CONNECT = Pattern.compile("connect nsp=/ sid=(\\S+) transport=\\S+ recovered=(true|false)");
  private static final String[] TRANSPORTS = {"websocket", "polling"};
  /** A fixed 1 s reconnect delay: what the servers broadcast right after a cut is sent while the canaries are away. */
  private static final String TARGET = """
      clients = 1
      reconnection { delay = 1s, delay-max = 1s, randomization = 0 }
      subscribe { event = tick }
      """;

  private static NodeSocketIoServer.Builder server(String id) {
    return NodeSocketIoServer.builder().id(id).pingInterval(Duration.ofSeconds(2)).pingTimeout(Duration.ofSeconds(1))
        .broadcast("tick", Duration.ZERO);
  }

  private static Map<String, String> result(String transport, String result) {
    Map<String, String> labels = new HashMap<>(fleet("api", transport));
    labels.put("result", result);
    return labels;
  }

  private static String config(int port, String url, String transports) {
    return CanaryConfig.onPort(port).target("api", url, TARGET + "transports = [" + transports + "]").hocon();
  }

  /** Waits until each fleet's canary received {@code messages} ticks (one silence per tick after the first). */
  private static void awaitMessages(AgentProcess agent, int messages, String... transports) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      MetricsSnapshot m = agent.scrape();
      for (String transport : transports) {
        assertThat(m.histogramCount("socketio_canary_message_silence_seconds", fleet("api", transport)))
            .as(transport).isEqualTo(messages - 1);
      }
    });
  }

  private static void awaitConnects(AgentProcess agent, int connects, String... transports) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      MetricsSnapshot m = agent.scrape();
      for (String transport : transports) {
        assertThat(m.sum("socketio_canary_connects_total", fleet("api", transport))).as(transport).isEqualTo(connects);
        assertThat(m.sum("socketio_canary_connected", fleet("api", transport))).as(transport).isEqualTo(1);
      }
    });
  }

  @Test
  void aShortCutThroughNginxIsRecoveredWithTheSameSocketIdAndNothingMissed() {
    try (NodeSocketIoServer node = server("a").recovery(Duration.ofSeconds(30), true).start();
        Nginx nginx = Nginx.builder().upstream(node.port()).start()) {
      int port = FreePorts.pick();
      try (AgentProcess agent = AgentProcess.builder().name("recovered").httpPort(port)
          .config(config(port, nginx.url(), "websocket, polling")).start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        awaitConnects(agent, 1, TRANSPORTS);
        node.broadcast(1, 3);
        awaitMessages(agent, 3, TRANSPORTS);

        node.closeAllTcp();
        node.broadcast(4, 3); // sent while the canaries are away: replayed when they come back
        awaitConnects(agent, 2, TRANSPORTS);
        node.broadcast(7, 1);
        awaitMessages(agent, 7, TRANSPORTS);

        MetricsSnapshot m = agent.scrape();
        for (String transport : TRANSPORTS) {
          assertThat(m.sum("socketio_canary_recoveries_total", result(transport, "recovered"))).as(transport).isEqualTo(1);
          assertThat(m.sum("socketio_canary_recoveries_total", result(transport, "new_session"))).as(transport).isZero();
          assertThat(m.sum("socketio_canary_messages_missed_total", fleet("api", transport))).as(transport).isZero();
          assertThat(m.sum("socketio_canary_messages_replayed_total", fleet("api", transport))).as(transport).isEqualTo(3);
          assertThat(m.sum("socketio_canary_recovery_supported", fleet("api", transport))).as(transport).isEqualTo(1);
        }
        // The server's own word: both reconnects restored a socket id it had handed out before.
        List<String[]> connects = connects(node);
        assertThat(connects).hasSize(4);
        assertThat(connects.stream().filter(c -> c[1].equals("true")).map(c -> c[0]))
            .hasSize(2).allMatch(sid -> connects.stream().anyMatch(c -> c[0].equals(sid) && c[1].equals("false")));
      }
    }
  }

  @Test
  void aReconnectToAnotherServerIsANewSessionAndTheMissedMessagesAreCountedExactly() {
    try (NodeSocketIoServer a = server("a").recovery(Duration.ofSeconds(30), true).start();
        NodeSocketIoServer b = server("b").recovery(Duration.ofSeconds(30), true).start();
        // Round robin, no sticky sessions: each WebSocket connection goes to the other server.
        Nginx nginx = Nginx.builder().upstream(a.port(), b.port()).start()) {
      int port = FreePorts.pick();
      try (AgentProcess agent = AgentProcess.builder().name("new-session").httpPort(port)
          .config(config(port, nginx.url(), "websocket")).start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        awaitConnects(agent, 1, "websocket");
        a.broadcast(1, 3);
        b.broadcast(1, 3);
        awaitMessages(agent, 3, "websocket");

        a.closeAllTcp();
        b.closeAllTcp();
        a.broadcast(4, 3);
        b.broadcast(4, 3);
        awaitConnects(agent, 2, "websocket");
        a.broadcast(7, 1);
        b.broadcast(7, 1);
        awaitMessages(agent, 4, "websocket");

        MetricsSnapshot m = agent.scrape();
        assertThat(connects(a).size() + connects(b).size()).isEqualTo(2);
        assertThat(connects(a)).hasSize(1);
        assertThat(m.sum("socketio_canary_recoveries_total", result("websocket", "new_session"))).isEqualTo(1);
        assertThat(m.sum("socketio_canary_recoveries_total", result("websocket", "recovered"))).isZero();
        // The servers sent 1..7; the canary got 1..3 and 7: 4, 5 and 6 are missed, none replayed.
        assertThat(a.stats().seq()).isEqualTo(7);
        assertThat(m.sum("socketio_canary_messages_missed_total", fleet("api", "websocket"))).isEqualTo(3);
        assertThat(m.sum("socketio_canary_messages_replayed_total", fleet("api", "websocket"))).isZero();
      }
    }
  }

  @Test
  void aServerWithoutRecoveryMovesNoRecoveryMetricAndSaysItIsNotSupported() {
    try (NodeSocketIoServer node = server("plain").start()) {
      int port = FreePorts.pick();
      try (AgentProcess agent = AgentProcess.builder().name("no-recovery").httpPort(port)
          .config(config(port, node.url(), "websocket, polling")).start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        awaitConnects(agent, 1, TRANSPORTS);
        node.broadcast(1, 2);
        awaitMessages(agent, 2, TRANSPORTS);
        node.closeAllTcp();
        awaitConnects(agent, 2, TRANSPORTS);

        MetricsSnapshot m = agent.scrape();
        for (String transport : TRANSPORTS) {
          assertThat(m.sum("socketio_canary_recoveries_total", fleet("api", transport))).as(transport).isZero();
          assertThat(m.value("socketio_canary_recovery_supported", fleet("api", transport))).as(transport).hasValue(0.0);
        }
      }
    }
  }

  @Test
  void anOutageLongerThanMaxDisconnectionDurationIsANewSession() {
    try (NodeSocketIoServer node = server("short").recovery(Duration.ofSeconds(1), true).start()) {
      Nginx nginx = Nginx.builder().upstream(node.port()).start();
      int port = FreePorts.pick();
      try (AgentProcess agent = AgentProcess.builder().name("expired").httpPort(port)
          .config(config(port, nginx.url(), "websocket")).start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        awaitConnects(agent, 1, "websocket");
        node.broadcast(1, 3);
        awaitMessages(agent, 3, "websocket");

        nginx.stop(); // the path is down for 3 s, three times maxDisconnectionDuration
        node.broadcast(4, 2);
        pause(Duration.ofSeconds(3));
        nginx.start();
        awaitConnects(agent, 2, "websocket");
        node.broadcast(6, 1);
        awaitMessages(agent, 4, "websocket");

        MetricsSnapshot m = agent.scrape();
        assertThat(m.sum("socketio_canary_recoveries_total", result("websocket", "new_session"))).isEqualTo(1);
        assertThat(m.sum("socketio_canary_recoveries_total", result("websocket", "recovered"))).isZero();
        assertThat(m.sum("socketio_canary_messages_missed_total", fleet("api", "websocket"))).isEqualTo(2);
      } finally {
        nginx.stop();
      }
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** {sid, recovered} of every namespace connect the server logged. */
  private static List<String[]> connects(NodeSocketIoServer server) {
    return server.process().lines().stream().map(CONNECT::matcher).filter(Matcher::find)
        .map(m -> new String[] {m.group(1), m.group(2)}).toList();
  }
}
