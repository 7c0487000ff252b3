package io.socketiocanary.canary;

import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.socketiocanary.config.ConfigException;
import io.socketiocanary.config.ConfigLoader;
import io.socketiocanary.config.TargetConfig;
import io.socketiocanary.config.TransportMode;
import io.socketiocanary.failure.ConnectErrorClassifier;
import io.socketiocanary.metrics.FleetMetrics;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Canaries of one fleet run in-process on a {@link ManualTimers} clock, with fake connections and
 * the fleet's real observers and meters: the state machine's test bench. Single-threaded: client
 * events run at once, as if the fleet's context were free.
 */
final class CanaryRig {
  /** Reconnection delays of 1 s up to 5 s, connect-timeout 20 s, idle 90 s, probe timeout 5 s. */
  static final String DEFAULT_TARGET = "";

  final ManualTimers timers = new ManualTimers();
  final MeterRegistry registry = new SimpleMeterRegistry();
  final TargetConfig target;
  final FleetMetrics metrics;
  final FleetHistory history = new FleetHistory();
  final List<CanaryEvent> events = new ArrayList<>();
  final List<Canary> canaries = new ArrayList<>();
  final Map<Integer, List<FakeConnection>> connections = new HashMap<>();
  /** Agent stalls the test declares, as [from, to] nanos. */
  final List<long[]> stalls = new ArrayList<>();

  CanaryRig(int clients) {
    this(clients, DEFAULT_TARGET);
  }

  /** {@code targetSettings}: HOCON merged into the target, e.g. {@code probe.event = canary}. */
  CanaryRig(int clients, String targetSettings) {
    target = target(clients, targetSettings);
    metrics = new FleetMetrics(registry, "t", TransportMode.WEBSOCKET.label(), clients, false, true,
        new FleetMetrics.Connections() {
          @Override
          public int connected() {
            return (int) canaries.stream().filter(c -> c.status().state() == CanaryState.CONNECTED).count();
          }

          @Override
          public int onTransport(String name) {
            return (int) canaries.stream().filter(c -> c.status().state() == CanaryState.CONNECTED
                && name.equals(c.status().transport())).count();
          }
        });
    List<CanaryObserver> observers = List.of(new MetricsObserver(metrics), new HistoryObserver(history),
        new IdleTimeoutWatch("t", "websocket", metrics), recording());
    for (int i = 0; i < clients; i++) {
      int index = i;
      connections.put(i, new ArrayList<>());
      FleetResources resources = new FleetResources(timers, Runnable::run, target, listener -> {
        FakeConnection connection = new FakeConnection(listener);
        connections.get(index).add(connection);
        return connection;
      }, new ConnectErrorClassifier(target.authErrorPatterns()), text -> text.replace("s3cret", "[redacted]"),
          observers, (from, to) -> stalls.stream().anyMatch(s -> s[0] <= to && from <= s[1]));
      canaries.add(new Canary(resources, i));
    }
  }

  private static TargetConfig target(int clients, String settings) {
    try {
      return ConfigLoader.fromConfig(ConfigFactory.parseString(
          "canary.targets = [{ name = t, url = \"http://127.0.0.1:1\", clients = " + clients + "\n"
              + settings + " }]"), "test").targets().get(0);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Records every event, whatever its kind: a proxy answers all of the observer's methods. */
  private CanaryObserver recording() {
    return (CanaryObserver) Proxy.newProxyInstance(CanaryObserver.class.getClassLoader(),
        new Class<?>[] {CanaryObserver.class}, (proxy, method, args) -> {
          if (args != null && args.length == 1 && args[0] instanceof CanaryEvent event) {
            events.add(event);
            return null;
          }
          return switch (method.getName()) {
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> "recording observer";
          };
        });
  }

  Canary canary(int index) {
    return canaries.get(index);
  }

  /** The canary's newest connection. */
  FakeConnection connection(int index) {
    List<FakeConnection> all = connections.get(index);
    return all.get(all.size() - 1);
  }

  int connectionsOpened(int index) {
    return connections.get(index).size();
  }

  CanaryState state(int index) {
    return canary(index).status().state();
  }

  void advance(Duration step) {
    timers.advance(step);
  }

  void advanceMillis(long millis) {
    timers.advance(Duration.ofMillis(millis));
  }

  long now() {
    return timers.nanoTime();
  }

  /** Declares that the agent stalled for the last {@code length}. */
  void stalledFor(Duration length) {
    stalls.add(new long[] {now() - length.toNanos(), now()});
  }

  double counter(String name, String... tags) {
    var counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  long timerCount(String name) {
    return registry.get(name).timer().count();
  }

  double timerTotalSeconds(String name) {
    return registry.get(name).timer().totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) / 1e9;
  }

  @SuppressWarnings("unchecked")
  <E extends CanaryEvent> List<E> events(Class<E> type) {
    return (List<E>) events.stream().filter(type::isInstance).toList();
  }
}
