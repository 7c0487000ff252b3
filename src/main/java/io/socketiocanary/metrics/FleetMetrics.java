package io.socketiocanary.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.socketiocanary.failure.ConnectErrorReason;
import io.socketiocanary.failure.DisconnectReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The meters of one fleet (one target × transport mode). Every reason counter is registered at
 * zero up front, so {@code rate()} sees the first failure and dashboards list every reason. How
 * much of it a scrape shows is {@code canary.metrics.detail}'s business, not this class's: in
 * compact mode {@link CompactBuckets} swaps the histograms' buckets and {@link CompactExposition}
 * shows a reason from its first occurrence (born at zero) and leaves out {@code _max}.
 *
 * <p>Thread-safe: Micrometer meters are, and the gauges read the fleet's {@link Connections}.
 */
public final class FleetMetrics implements AutoCloseable {
  /**
   * How many canaries are connected now, in total and per transport: counted by the fleet from its
   * canaries' states at every scrape, the same states {@code /api/status} shows. Thread-safe.
   */
  public interface Connections {
    int connected();

    /** Connected canaries on the client's transport {@code name} ("polling" or "websocket"). */
    int onTransport(String name);
  }

  private final MeterRegistry registry;
  private final Tags tags;
  private final List<Meter> meters = new ArrayList<>();
  private final ServerTimingGauges serverTimings;
  private final Counter connects;
  private final Map<DisconnectReason, Counter> disconnects = new EnumMap<>(DisconnectReason.class);
  private final Map<ConnectErrorReason, Counter> connectErrors =
      new EnumMap<>(ConnectErrorReason.class);
  private final Timer reconnectDuration;
  private final Counter reconnectsExcluded;
  private final Timer connectionLifetime;
  private final Counter reconnectAttempts;
  private final Counter reconnectFailed;
  private final Timer handshakeDuration;
  private final Timer probeDuration;
  private final Counter probeFailures;
  private final Counter upgradeSuccesses;
  private final Counter upgradeFailures;
  private final Counter drillsRecovered;
  private final Counter drillsFailed;
  private final Timer drillReconnectDuration;
  private final Counter recycles;
  private volatile double suspectedIdleTimeoutSeconds = Double.NaN;
  private Meter suspectedIdleTimeout;

  /**
   * @param upgrades whether the fleet upgrades from polling to WebSocket, so its upgrade outcomes
   *     are counted (only {@code polling_upgrade} fleets do)
   * @param drills whether the fleet runs reconnect drills, so their outcomes are exported
   * @param connections the fleet's connected canaries, read at every scrape
   */
  public FleetMetrics(MeterRegistry registry, String target, String transport, int clients, boolean upgrades,
      boolean drills, Connections connections) {
    this.registry = registry;
    this.tags = Tags.of(MetricNames.TARGET, target, MetricNames.TRANSPORT, transport);
    keep(Gauge.builder(MetricNames.CLIENTS, () -> clients)
        .description("Canaries configured in the fleet").tags(tags).register(registry));
    // Strong references: the fleet's Connections may be a lambda nothing else holds.
    keep(Gauge.builder(MetricNames.CONNECTED, connections, Connections::connected).strongReference(true)
        .description("Canaries connected now").tags(tags).register(registry));
    keep(Gauge.builder(MetricNames.UP, connections, c -> c.connected() > 0 ? 1 : 0).strongReference(true)
        .description("1 while at least one canary of the fleet is connected")
        .tags(tags).register(registry));
    connects = counter(MetricNames.CONNECTS, "Successful namespace connects, first ones and reconnects", tags);
    for (DisconnectReason reason : DisconnectReason.values()) {
      disconnects.put(reason, counter(MetricNames.DISCONNECTS, "Disconnects of connected canaries by reason",
          tags.and(MetricNames.REASON, reason.label())));
    }
    for (ConnectErrorReason reason : ConnectErrorReason.values()) {
      connectErrors.put(reason, counter(MetricNames.CONNECT_ERRORS,
          "Failed connect and reconnect attempts by cause", tags.and(MetricNames.REASON, reason.label())));
    }
    reconnectDuration = timer(MetricNames.RECONNECT_DURATION,
        "Outage seen by a canary: disconnect observed until connected again", Buckets.RECONNECT_DURATION);
    reconnectsExcluded = counter(MetricNames.RECONNECTS_EXCLUDED,
        "Reconnects whose outage overlapped a stall of the agent itself: not in reconnect_duration_seconds", tags);
    connectionLifetime = timer(MetricNames.CONNECTION_LIFETIME,
        "How long connections lived, connected until disconnected", Buckets.CONNECTION_LIFETIME);
    reconnectAttempts = counter(MetricNames.RECONNECT_ATTEMPTS, "Reconnect attempts started", tags);
    reconnectFailed = counter(MetricNames.RECONNECT_FAILED,
        "Times the client exhausted its reconnection attempts", tags);
    handshakeDuration = timer(MetricNames.HANDSHAKE_DURATION,
        "Connect attempt start until the namespace is connected", Buckets.HANDSHAKE_DURATION);
    probeDuration = timer(MetricNames.PROBE_DURATION, "Probe emit until its ack", Buckets.PROBE_DURATION);
    probeFailures = counter(MetricNames.PROBE_FAILURES, "Probes without an ack in time", tags);
    serverTimings = new ServerTimingGauges(registry, tags);
    keep(Gauge.builder(MetricNames.TRANSPORT_GAUGE, connections, c -> c.onTransport("polling")).strongReference(true)
        .description("Connected canaries currently on each transport")
        .tags(tags.and(MetricNames.NAME, "polling")).register(registry));
    keep(Gauge.builder(MetricNames.TRANSPORT_GAUGE, connections, c -> c.onTransport("websocket")).strongReference(true)
        .description("Connected canaries currently on each transport")
        .tags(tags.and(MetricNames.NAME, "websocket")).register(registry));
    upgradeSuccesses = upgrades ? counter(MetricNames.UPGRADES, "Polling to WebSocket upgrades by result",
        tags.and(MetricNames.RESULT, "success")) : null;
    upgradeFailures = upgrades ? counter(MetricNames.UPGRADES, "Polling to WebSocket upgrades by result",
        tags.and(MetricNames.RESULT, "failure")) : null;
    drillsRecovered = drills ? counter(MetricNames.DRILLS, "Reconnect drills by result",
        tags.and(MetricNames.RESULT, "recovered")) : null;
    drillsFailed = drills ? counter(MetricNames.DRILLS, "Reconnect drills by result",
        tags.and(MetricNames.RESULT, "failed")) : null;
    drillReconnectDuration = drills ? timer(MetricNames.DRILL_RECONNECT_DURATION,
        "Drill: TCP connection cut until connected again; kept apart from the organic histogram",
        Buckets.RECONNECT_DURATION) : null;
    recycles = counter(MetricNames.RECYCLES,
        "Connections re-established on purpose after a rollout marker or POST /api/recycle; not disconnects", tags);
  }

  /**
   * A canary closed its connection on purpose to reconnect through the changed path; no organic
   * figure (disconnects, lifetimes, reconnect durations, connects) moves.
   */
  public void recycled() {
    recycles.increment();
  }

  /**
   * Exports how many connected canaries still hold a connection established before the latest
   * rollout marker or recycle request ({@code compare} refuses a verdict when most do).
   */
  public void staleConnections(java.util.function.Supplier<Number> count) {
    keep(Gauge.builder(MetricNames.STALE_CONNECTIONS, count)
        .description("Connected canaries on a connection established before the latest rollout marker or recycle")
        .tags(tags).register(registry));
  }

  /** A drilled canary is connected again after {@code outage}, within the drill's timeout. */
  public void drillRecovered(Duration handshake, Duration outage) {
    handshakeDuration.record(handshake);
    drillsRecovered.increment();
    drillReconnectDuration.record(outage);
  }

  /** A drill did not recover in time. */
  public void drillFailed() {
    drillsFailed.increment();
  }

  public void upgrade(boolean success) {
    Counter counter = success ? upgradeSuccesses : upgradeFailures;
    if (counter != null) {
      counter.increment();
    }
  }

  /**
   * Publishes the suspected proxy idle timeout, or withdraws it: the gauge exists only while the
   * pattern holds, so a query for it is a query for "is a proxy cutting us now".
   */
  public synchronized void suspectedIdleTimeout(java.util.OptionalDouble seconds) {
    if (seconds.isPresent()) {
      suspectedIdleTimeoutSeconds = seconds.getAsDouble();
      if (suspectedIdleTimeout == null) {
        suspectedIdleTimeout = Gauge.builder(MetricNames.SUSPECTED_IDLE_TIMEOUT, this, m -> m.suspectedIdleTimeoutSeconds)
            .baseUnit("seconds")
            .description("Lifetime at which recent connections keep being cut: the suspected proxy idle timeout")
            .tags(tags).register(registry);
      }
    } else {
      suspectedIdleTimeoutSeconds = Double.NaN;
      if (suspectedIdleTimeout != null) {
        registry.remove(suspectedIdleTimeout);
        suspectedIdleTimeout = null;
      }
    }
  }

  /** The age the idle-timeout detector names now, if it names one (the gauge's value). */
  public java.util.OptionalDouble suspectedIdleTimeout() {
    double seconds = suspectedIdleTimeoutSeconds;
    return Double.isNaN(seconds) ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(seconds);
  }

  public void connected(Duration handshake) {
    connects.increment();
    handshakeDuration.record(handshake);
  }

  public void reconnected(Duration outage) {
    reconnectDuration.record(outage);
  }

  public void disconnected(DisconnectReason reason, Duration lifetime) {
    disconnects.get(reason).increment();
    if (reason != DisconnectReason.AGENT_STALLED) {
      // A lifetime the agent's own stall may have cut short says nothing about the path.
      connectionLifetime.record(lifetime);
    }
  }

  /** A reconnect whose outage overlapped an agent stall: counted, kept out of the histogram. */
  public void reconnectExcluded() {
    reconnectsExcluded.increment();
  }

  public void reconnectAttempt() {
    reconnectAttempts.increment();
  }

  public void connectError(ConnectErrorReason reason) {
    connectErrors.get(reason).increment();
  }

  public void reconnectFailed() {
    reconnectFailed.increment();
  }

  public void probeAcked(Duration roundTrip) {
    probeDuration.record(roundTrip);
  }

  public void probeFailed() {
    probeFailures.increment();
  }

  public void serverTimings(Duration pingInterval, Duration pingTimeout) {
    serverTimings.set(pingInterval, pingTimeout);
  }

  /** Removes this fleet's meters, so a stopped fleet stops being exported. */
  @Override
  public void close() {
    meters.forEach(registry::remove);
    serverTimings.close();
    suspectedIdleTimeout(java.util.OptionalDouble.empty());
  }

  private Counter counter(String name, String description, Tags counterTags) {
    return keep(Counter.builder(name).description(description).tags(counterTags).register(registry));
  }

  private Timer timer(String name, String description, Duration[] buckets) {
    return keep(Timer.builder(name).description(description).tags(tags)
        .serviceLevelObjectives(buckets)
        .register(registry));
  }

  private <M extends Meter> M keep(M meter) {
    meters.add(meter);
    return meter;
  }

  /** Ping interval and timeout gauges, registered at the first handshake so they never read NaN. */
  private static final class ServerTimingGauges implements AutoCloseable {
    private final MeterRegistry registry;
    private final Tags tags;
    private volatile double intervalSeconds;
    private volatile double timeoutSeconds;
    private final List<Meter> meters = new ArrayList<>(2);

    ServerTimingGauges(MeterRegistry registry, Tags tags) {
      this.registry = registry;
      this.tags = tags;
    }

    synchronized void set(Duration interval, Duration timeout) {
      intervalSeconds = interval.toNanos() / 1e9;
      timeoutSeconds = timeout.toNanos() / 1e9;
      if (meters.isEmpty()) {
        meters.add(Gauge.builder(MetricNames.SERVER_PING_INTERVAL, this, g -> g.intervalSeconds)
            .baseUnit("seconds").description("Server pingInterval from the last Engine.IO handshake")
            .tags(tags).register(registry));
        meters.add(Gauge.builder(MetricNames.SERVER_PING_TIMEOUT, this, g -> g.timeoutSeconds)
            .baseUnit("seconds").description("Server pingTimeout from the last Engine.IO handshake")
            .tags(tags).register(registry));
      }
    }

    @Override
    public synchronized void close() {
      meters.forEach(registry::remove);
      meters.clear();
    }
  }
}
