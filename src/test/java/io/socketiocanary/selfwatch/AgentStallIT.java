package io.socketiocanary.selfwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.typesafe.config.ConfigFactory;
import io.socket.thread.EventThread;
import io.socketiocanary.agent.Agent;
import io.socketiocanary.config.AgentConfig;
import io.socketiocanary.config.ConfigLoader;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.CapturedLog;
import io.socketiocanary.testsupport.MetricsSnapshot;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent stalled on purpose, in this JVM, against a real Socket.IO server: a stall of its own
 * must show in {@code socketio_canary_agent_lag_seconds} and in a WARN with the stuck thread's
 * stack, and whatever it breaks (ping timeouts, probe timeouts, connections the server closed
 * for want of a pong, slow reconnects) is counted as {@code agent_stalled}, never as the target's.
 */
class AgentStallIT {
  static final Duration STALL = Duration.ofSeconds(5);
  /** Pings every 2 s with 1 s to answer: a 5 s stall outlasts pingInterval + pingTimeout. */
  static final Duration PING_INTERVAL = Duration.ofSeconds(2);
  static final Duration PING_TIMEOUT = Duration.ofSeconds(1);
  static final int CLIENTS = 2;
  static final List<String> TARGETS_FAULTS = List.of("ping_timeout", "transport_close", "transport_error", "probe_timeout");

  private NodeSocketIoServer server;
  private Vertx vertx;
  private Agent agent;
  private CapturedLog logs;

  @BeforeEach
  void startAgent() throws Exception {
    logs = CapturedLog.of(SelfWatch.class);
    server = NodeSocketIoServer.builder().pingInterval(PING_INTERVAL).pingTimeout(PING_TIMEOUT).start();
    // One event loop: blocking "the" fleet event loop blocks every fleet, as one busy loop would.
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    String hocon = CanaryConfig.onPort(0).target("healthy", server.url(), """
        clients = %d
        idle = 3s
        probe { event = "canary-probe", timeout = 2s }
        """.formatted(CLIENTS)).hocon();
    AgentConfig config = ConfigLoader.fromConfig(ConfigFactory.parseString(hocon), "test");
    agent = new Agent(vertx, config, "test");
    agent.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(() -> connected() == 3 * CLIENTS);
    // A few probes and pings first, so the stall lands on a fleet in its steady state.
    Thread.sleep(3000);
  }

  @AfterEach
  void stopAgent() throws Exception {
    try {
      if (agent != null) {
        agent.stop(Duration.ofSeconds(2)).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
    } finally {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
      if (server != null) {
        server.close();
      }
      if (logs != null) {
        logs.close();
      }
    }
  }

  @Test
  void aStalledEventThreadIsReportedAndChargedToNoTarget() throws Exception {
    MetricsSnapshot before = scrape();
    EventThread.exec(() -> sleep(STALL));
    assertStallSeenAndExcused(before, LoopNames.EVENT_THREAD, "sleep");
  }

  @Test
  void aStalledFleetEventLoopIsReportedAndChargedToNoTarget() throws Exception {
    MetricsSnapshot before = scrape();
    ((VertxInternal) vertx).nettyEventLoopGroup().next().execute(() -> sleep(STALL));
    assertStallSeenAndExcused(before, LoopNames.FLEET_EVENT_LOOP, "sleep");
  }

  private void assertStallSeenAndExcused(MetricsSnapshot before, String loop, String stuckIn) throws Exception {
    // Seen while it lasts: the WARN, with the stack of the thread that stands still.
    await().atMost(STALL).until(() -> warning() != null);
    ILoggingEvent warn = warning();
    assertThat(warn.getKeyValuePairs()).anyMatch(kv -> kv.key.equals("loop") && kv.value.equals(loop));
    assertThat(Arrays.stream(warn.getThrowableProxy().getStackTraceElementProxyArray()).map(Object::toString))
        .anyMatch(frame -> frame.contains(stuckIn));
    // Over: the loop runs again. Then what the stall broke shows (a missed pong closes the
    // connection, a ping timer fired) within pingInterval + pingTimeout, and every canary comes back.
    await().atMost(STALL.plusSeconds(5)).until(() -> logs.events().stream()
        .anyMatch(e -> e.getFormattedMessage().equals("agent loop running again")));
    Thread.sleep(PING_INTERVAL.plus(PING_TIMEOUT).toMillis());
    await().atMost(Duration.ofSeconds(30)).until(() -> connected() == 3 * CLIENTS);
    MetricsSnapshot after = scrape();
    double lag = after.sum("socketio_canary_agent_lag_seconds", Map.of("loop", loop));
    System.out.printf("agent stall (%s): lag gauge %.2f s; agent_stalled disconnects %.0f, connect errors %.0f,"
            + " excluded reconnects %.0f%n", loop, lag,
        delta(before, after, "socketio_canary_disconnects_total", Map.of("reason", "agent_stalled")),
        delta(before, after, "socketio_canary_connect_errors_total", Map.of("reason", "agent_stalled")),
        delta(before, after, "socketio_canary_reconnects_excluded_total", Map.of()));
    assertThat(lag).as("socketio_canary_agent_lag_seconds{loop=%s}", loop)
        .isGreaterThanOrEqualTo(STALL.toMillis() / 1000.0 - 0.3);
    for (String reason : TARGETS_FAULTS) {
      assertThat(delta(before, after, "socketio_canary_disconnects_total", Map.of("reason", reason)))
          .as("disconnects charged to the target as %s", reason).isZero();
    }
    assertThat(delta(before, after, "socketio_canary_connect_errors_total", Map.of("reason", "timeout")))
        .as("timeouts charged to the target").isZero();
    assertThat(delta(before, after, "socketio_canary_probe_failures_total", Map.of())).as("probe failures").isZero();
    assertThat(delta(before, after, "socketio_canary_reconnect_duration_seconds_count", Map.of()))
        .as("reconnects measured across the stall").isZero();
    assertThat(delta(before, after, "socketio_canary_disconnects_total", Map.of("reason", "agent_stalled")))
        .as("disconnects the stall caused, all counted as agent_stalled")
        .isEqualTo(delta(before, after, "socketio_canary_connects_total", Map.of()));
  }

  private ILoggingEvent warning() {
    return logs.events().stream()
        .filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().startsWith("agent loop stalled"))
        .findFirst().orElse(null);
  }

  private double connected() {
    return scrape().sum("socketio_canary_connected", Map.of());
  }

  private MetricsSnapshot scrape() {
    return MetricsSnapshot.parse(agent.metrics().scrape());
  }

  private static double delta(MetricsSnapshot before, MetricsSnapshot after, String name, Map<String, String> labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
