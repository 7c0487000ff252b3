package io.socketiocanary.canary;

import io.socketiocanary.client.HttpClients;
import io.socketiocanary.client.TokenSource;
import io.socketiocanary.config.TargetConfig;
import io.socketiocanary.config.TransportMode;
import io.socketiocanary.config.RecoveryMode;
import io.socketiocanary.failure.ConnectErrorClassifier;
import io.socketiocanary.metrics.FleetMetrics;
import io.socketiocanary.metrics.RecoveryMetrics;
import io.socketiocanary.selfwatch.Stalls;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The canaries of one target in one transport mode, deployed as a verticle so that they share
 * one Vert.x context (an event loop): every canary's state lives there.
 *
 * <p>Starts are spread over a short window so a large fleet does not hit its target, or the
 * agent's own EventThread, as one burst. {@link #statuses()} may be called from any thread.
 */
public final class Fleet extends VerticleBase {
  /** Upper bound of the start spread up to 1,000 canaries; small fleets start within milliseconds. */
  static final Duration MAX_START_SPREAD = Duration.ofSeconds(2);
  static final Duration START_STEP = Duration.ofMillis(5);
  /**
   * Larger fleets start at most 500 canaries a second: each connect attempt costs the client a
   * Timer thread, and 5,000 in 2 s on two cores took longer (18 s) than 5,000 spread over 10 s.
   * (Measured when WebSockets still ran on OkHttp; with Netty, 5,000 spread over 10 s connect in
   * about 10 s, so the spread is now the bound. Not re-measured without it.)
   */
  static final Duration LARGE_FLEET_STEP_PER_CANARY = Duration.ofMillis(2);

  private final TargetConfig target;
  private final TransportMode mode;
  private final MeterRegistry registry;
  /** Makes a canary's connections, given the fleet's token source (built with the fleet). */
  private final Function<TokenSource, Connection.Factory> connections;
  private final Stalls agentStalls;
  /** Replaced once, fully built, at start: readers on other threads see all or nothing. */
  private volatile List<Canary> canaries = List.of();
  private final FleetHistory history = new FleetHistory();
  private volatile boolean started;
  private boolean stopped;
  /** Built on a worker at start (see {@link #build}), then read on the fleet's context. */
  private volatile FleetMetrics metrics;
  private volatile RecoveryMetrics recoveryMetrics;
  /** The latest rollout marker or recycle request; null before any. */
  private volatile Instant staleBefore;

  /**
   * @param agentStalls when the agent itself stood still: what overlaps a stall is not charged to
   *     the target
   */
  public Fleet(TargetConfig target, TransportMode mode, MeterRegistry registry, HttpClients httpClients,
      Stalls agentStalls) {
    this(target, mode, registry, agentStalls, tokens -> ClientConnections.of(target, mode, httpClients, tokens));
  }

  /**
   * A fleet whose canaries connect through {@code connections}: the agent's Socket.IO clients, or
   * fakes for tests that drive the canaries' events themselves.
   */
  public Fleet(TargetConfig target, TransportMode mode, MeterRegistry registry, Stalls agentStalls,
      Function<TokenSource, Connection.Factory> connections) {
    this.target = target;
    this.mode = mode;
    this.registry = registry;
    this.agentStalls = agentStalls;
    this.connections = connections;
  }

  public TargetConfig target() {
    return target;
  }

  public TransportMode mode() {
    return mode;
  }

  /** True once every canary of the fleet has started its first connect attempt. */
  public boolean started() {
    return started;
  }

  @Override
  public Future<?> start() {
    // Meters, TLS contexts, token and CA files: built on a worker, not on the event loop that
    // other fleets' canaries share. A reload that added 18 fleets at once built them there and
    // held a healthy fleet's probe acks past their timeout.
    return vertx.executeBlocking(this::build, false).compose(built -> {
      canaries = built;
      metrics.staleConnections(this::staleConnections);
      Promise<Void> allStarted = Promise.promise();
      long spreadMillis = Math.max(Math.min(MAX_START_SPREAD.toMillis(), START_STEP.toMillis() * built.size()),
          LARGE_FLEET_STEP_PER_CANARY.toMillis() * built.size());
      startFrom(0, spreadMillis, allStarted);
      return allStarted.future();
    }).onSuccess(v -> {
      started = true;
      if (target.drill().drills(mode)) {
        scheduleDrill();
      }
    });
  }

  /** The fleet's meters, clients and canaries; on a worker thread, touching no context state. */
  private List<Canary> build() {
    metrics = new FleetMetrics(registry, target.name(), mode.label(), target.clients(),
        mode == TransportMode.POLLING_UPGRADE, target.drill().drills(mode), new ConnectionCounts());
    TokenSource tokens = new TokenSource(target.auth());
    Redactor redactor = redactor(tokens);
    FailureLog failureLog = new FailureLog(target.name(), mode.label(), redactor);
    // In the order the events were recorded before there were observers: meters first.
    recoveryMetrics = new RecoveryMetrics(registry, target.name(), mode.label(),
        target.recovery() != RecoveryMode.OFF, target.subscribe().enabled());
    List<CanaryObserver> observers = List.of(new MetricsObserver(metrics), failureLog, new HistoryObserver(history),
        new IdleTimeoutWatch(target.name(), mode.label(), metrics), new RecoveryObserver(recoveryMetrics));
    FleetResources resources = new FleetResources(new VertxTimers(vertx), task -> context.runOnContext(v -> task.run()),
        target, connections.apply(tokens), new ConnectErrorClassifier(target.authErrorPatterns()),
        failureLog::redact, observers, agentStalls);
    List<Canary> built = new ArrayList<>(target.clients());
    for (int i = 0; i < target.clients(); i++) {
      built.add(new Canary(resources, i));
    }
    return List.copyOf(built);
  }

  /** One drill per fleet at a time, at a jittered interval so fleets do not drill in step. */
  private void scheduleDrill() {
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    long delay = Math.max(1, Math.round(target.drill().interval().toMillis() * jitter));
    vertx.setTimer(delay, id -> {
      if (!stopped) {
        drillOne();
        scheduleDrill();
      }
    });
  }

  private void drillOne() {
    List<Canary> all = canaries;
    if (all.stream().anyMatch(Canary::drilling)) {
      return;
    }
    List<Canary> candidates = all.stream().filter(Canary::connected).toList();
    if (!candidates.isEmpty()) {
      candidates.get(ThreadLocalRandom.current().nextInt(candidates.size())).drill(target.drill().timeout());
    }
  }

  private void startFrom(int first, long spreadMillis, Promise<Void> done) {
    // Start canaries in small batches, one timer tick each, spreading them over spreadMillis.
    List<Canary> all = canaries;
    int batches = (int) Math.max(1, spreadMillis / START_STEP.toMillis());
    int perBatch = (int) Math.ceil(all.size() / (double) batches);
    int end = Math.min(all.size(), first + perBatch);
    for (int i = first; i < end; i++) {
      all.get(i).start();
    }
    if (end >= all.size()) {
      done.complete();
    } else {
      vertx.setTimer(START_STEP.toMillis(), id -> startFrom(end, spreadMillis, done));
    }
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    canaries.forEach(Canary::stop);
    metrics.close();
    if (recoveryMetrics != null) {
      recoveryMetrics.close();
    }
    return Future.succeededFuture();
  }

  /**
   * A rollout marker or recycle request at {@code at}. From then on the fleet exports how many
   * canaries still hold a connection from before it; with {@code recycleSpread}, every connected
   * canary also re-establishes its connection at a random moment within that window. Any thread.
   */
  public void rollout(Instant at, Optional<Duration> recycleSpread) {
    staleBefore = at;
    if (recycleSpread.isEmpty() || context == null) {
      return;
    }
    long spread = Math.max(1, recycleSpread.get().toMillis());
    context.runOnContext(v -> {
      for (Canary canary : canaries) {
        vertx.setTimer(1 + ThreadLocalRandom.current().nextLong(spread), id -> {
          if (!stopped) {
            canary.recycle();
          }
        });
      }
    });
  }

  /** The connected gauges, counted from the same statuses {@code /api/status} shows. */
  private final class ConnectionCounts implements FleetMetrics.Connections {
    @Override
    public int connected() {
      return Fleet.this.connected();
    }

    @Override
    public int onTransport(String name) {
      int n = 0;
      for (Canary canary : canaries) {
        CanaryStatus status = canary.status();
        n += status.state() == CanaryState.CONNECTED && name.equals(status.transport()) ? 1 : 0;
      }
      return n;
    }
  }

  private long staleConnections() {
    Instant before = staleBefore;
    if (before == null) {
      return 0;
    }
    return canaries.stream().map(Canary::status)
        .filter(s -> s.connectedSince() != null && s.connectedSince().isBefore(before)).count();
  }

  /** How many canaries this fleet runs (none before it has started). */
  public int size() {
    return canaries.size();
  }

  /** How many canaries are connected now, counted from the statuses {@code /api/status} shows. Any thread. */
  public int connected() {
    int n = 0;
    for (Canary canary : canaries) {
      n += canary.status().state() == CanaryState.CONNECTED ? 1 : 0;
    }
    return n;
  }

  /** How many canaries have a measurement under way that a pause of the agent would distort. Any thread. */
  public int measuring() {
    int n = 0;
    for (Canary canary : canaries) {
      n += canary.measuring() ? 1 : 0;
    }
    return n;
  }

  /** The last hour of this fleet. */
  public FleetHistory history() {
    return history;
  }

  /** The fixed connection age the fleet's idle-timeout detector names now, if any. */
  public java.util.OptionalDouble suspectedIdleTimeout() {
    FleetMetrics built = metrics;
    return built == null ? java.util.OptionalDouble.empty() : built.suspectedIdleTimeout();
  }

  /** A snapshot of every canary, in index order. */
  public List<CanaryStatus> statuses() {
    return canaries.stream().map(Canary::status).toList();
  }

  /** A redactor for this fleet: header credentials are fixed, tokens are whatever was sent. */
  private Redactor redactor(TokenSource tokens) {
    List<String> headerSecrets = new ArrayList<>(target.headers().values());
    for (String value : target.headers().values()) {
      // "Bearer abc", "Basic abc": servers echo the credentials without the scheme too.
      int space = value.indexOf(' ');
      if (space > 0) {
        headerSecrets.add(value.substring(space + 1).strip());
      }
    }
    List<String> fixed = List.copyOf(headerSecrets);
    return new Redactor(() -> {
      List<String> secrets = new ArrayList<>(fixed);
      secrets.addAll(tokens.secretsForRedaction());
      return secrets;
    });
  }
}
