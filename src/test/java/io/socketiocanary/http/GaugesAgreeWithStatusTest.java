package io.socketiocanary.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.socketiocanary.canary.Connection;
import io.socketiocanary.canary.Fleet;
import io.socketiocanary.client.ConnectFailure;
import io.socketiocanary.client.ConnectionListener;
import io.socketiocanary.config.ConfigLoader;
import io.socketiocanary.config.TargetConfig;
import io.socketiocanary.config.TransportMode;
import io.socketiocanary.metrics.MetricNames;
import io.socketiocanary.selfwatch.Stalls;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Chaos for a real fleet on Vert.x with fake connections: random client events (connects over
 * either transport, every disconnect reason, connect errors, upgrades, given-up reconnects) mixed
 * with the fleet's own drills, drill timeouts, recycles and retries. At every step the connected and
 * transport gauges must say what {@code /api/status} says, read at the same moment on the fleet's
 * context.
 */
class GaugesAgreeWithStatusTest {
  private static final int CLIENTS = 12;
  private static final String[] REASONS = {"transport close", "transport error", "ping timeout",
      "io server disconnect", "forced close"};

  private final Vertx vertx = Vertx.vertx();
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Context fleetContext;

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theConnectedGaugesAndTheStatusAgreeAtEveryStepOfAChaosRun() throws Exception {
    TargetConfig target = ConfigLoader.fromConfig(ConfigFactory.parseString("""
        canary.targets = [{
          name = chaos, url = "http://127.0.0.1:1", clients = %d, transports = [polling_upgrade]
          reconnection { delay = 5ms, delay-max = 20ms }
          drill { enabled = true, interval = 80ms, timeout = 40ms }
        }]""".formatted(CLIENTS)), "test").targets().get(0);
    MeterRegistry registry = new SimpleMeterRegistry();
    Fleet fleet = new Fleet(target, TransportMode.POLLING_UPGRADE, registry, Stalls.NONE, tokens -> listener -> {
      fleetContext = Vertx.currentContext();
      listeners.add(listener);
      return Connection.NONE;   // the test plays the client
    });
    vertx.deployVerticle(fleet).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    Random random = new Random(15);
    int steps = 3_000;
    int disagreements = 0;
    List<String> firstDisagreements = new ArrayList<>();
    for (int step = 0; step < steps; step++) {
      chaos(random, fleet);
      Reading reading = readOnFleetContext(fleet, registry);
      if (!reading.agrees()) {
        disagreements++;
        if (firstDisagreements.size() < 5) {
          firstDisagreements.add("step " + step + ": " + reading);
        }
      }
      assertThat(reading.connected).isBetween(0, CLIENTS);
      if (step % 50 == 0) {
        Thread.sleep(random.nextInt(40));   // let retries, drills and drill timeouts fire
      }
    }
    assertThat(disagreements).as("%s", firstDisagreements).isZero();
    // The run went through the transitions it claims to.
    assertThat(count(registry, MetricNames.CONNECTS)).isGreaterThan(100);
    assertThat(count(registry, MetricNames.DISCONNECTS)).isGreaterThan(100);
    assertThat(count(registry, MetricNames.CONNECT_ERRORS)).isGreaterThan(50);
    assertThat(count(registry, MetricNames.RECYCLES)).isPositive();
    assertThat(count(registry, MetricNames.DRILLS)).isPositive();
    assertThat(count(registry, MetricNames.UPGRADES)).isPositive();
  }

  private void chaos(Random random, Fleet fleet) {
    // Mostly the newest connections, now and then a replaced one whose events must be dropped.
    int recent = Math.min(listeners.size(), 2 * CLIENTS);
    ConnectionListener listener = listeners.get(listeners.size() - 1 - random.nextInt(recent));
    long now = System.nanoTime();
    switch (random.nextInt(9)) {
      case 0, 1, 2 -> listener.onConnect(now, random.nextBoolean() ? "polling" : "websocket");
      case 3, 4 -> listener.onDisconnect(now, REASONS[random.nextInt(REASONS.length)]);
      case 5 -> listener.onConnectError(now, new ConnectFailure(ConnectFailure.Kind.values()[
          random.nextInt(ConnectFailure.Kind.values().length)], "chaos", null, null, random.nextBoolean()));
      case 6 -> {
        listener.onTransport(now, "websocket");
        listener.onUpgrade(now, random.nextBoolean());
      }
      case 7 -> listener.onReconnectAttempt(now, 1);
      default -> {
        if (random.nextInt(20) == 0) {
          listener.onReconnectFailed(now);
        } else if (random.nextInt(30) == 0) {
          fleet.rollout(Instant.now(), Optional.of(Duration.ofMillis(20)));
        }
      }
    }
  }

  private record Reading(int connected, double connectedGauge, JsonObject statusTransports, double pollingGauge,
      double websocketGauge) {
    boolean agrees() {
      return connectedGauge == connected
          && pollingGauge == statusTransports.getInteger("polling", 0)
          && websocketGauge == statusTransports.getInteger("websocket", 0);
    }
  }

  /** The gauges and the status, both read in one task on the fleet's context: no transition between them. */
  private Reading readOnFleetContext(Fleet fleet, MeterRegistry registry) throws Exception {
    Promise<Reading> read = Promise.promise();
    fleetContext.runOnContext(v -> {
      JsonObject status = StatusJson.render("test", Instant.EPOCH, true, List.of(fleet), Instant.now())
          .getJsonArray("targets").getJsonObject(0).getJsonArray("fleets").getJsonObject(0);
      read.complete(new Reading(status.getInteger("connected"), gauge(registry, MetricNames.CONNECTED, null),
          status.getJsonObject("transports"), gauge(registry, MetricNames.TRANSPORT_GAUGE, "polling"),
          gauge(registry, MetricNames.TRANSPORT_GAUGE, "websocket")));
    });
    return read.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static double gauge(MeterRegistry registry, String name, String transportName) {
    var search = registry.find(name).tag(MetricNames.TARGET, "chaos");
    if (transportName != null) {
      search = search.tag(MetricNames.NAME, transportName);
    }
    return search.gauge().value();
  }

  private static double count(MeterRegistry registry, String name) {
    return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
