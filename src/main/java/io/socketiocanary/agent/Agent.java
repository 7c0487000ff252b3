package io.socketiocanary.agent;

import io.socketiocanary.canary.Fleet;
import io.socketiocanary.client.ClientLoops;
import io.socketiocanary.client.HttpClients;
import io.socketiocanary.client.compat.EventThreadKeepAlive;
import io.socketiocanary.config.AgentConfig;
import io.socketiocanary.config.TargetConfig;
import io.socketiocanary.config.TransportMode;
import io.socketiocanary.heap.QuietCollections;
import io.socketiocanary.http.HttpApi;
import io.socketiocanary.jvm.CompilerAdvice;
import io.socketiocanary.metrics.AgentMetrics;
import io.socketiocanary.rollout.Markers;
import io.socketiocanary.selfwatch.LoopNames;
import io.socketiocanary.selfwatch.SelfWatch;
import io.socketiocanary.selfwatch.WatchedLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: one {@link Fleet} per target × transport mode (of this agent's shard), the
 * shared HTTP client they connect through, and the HTTP API. Data flows one way: config → fleets
 * → canaries → metrics and status → HTTP.
 *
 * <p>Thread confinement: {@link #start()}, {@link #apply} and {@link #stop} are called one at a
 * time (the runner serializes them); the fleet list is published as an immutable snapshot for the
 * HTTP API to read from its own thread.
 */
public final class Agent {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  /** A deployed fleet and its Vert.x deployment id. */
  private record Running(Fleet fleet, String deploymentId) {}

  private final Vertx vertx;
  private final String version;
  private final AgentMetrics metrics;
  private final HttpClients httpClients;
  private final Markers markers;
  private final Map<String, Running> running = new LinkedHashMap<>();
  private volatile AgentConfig config;
  private volatile List<Fleet> fleets = List.of();
  /**
   * The HTTP API's own Vert.x: one event loop nothing else runs on. On the agent's, the API
   * shared its event loop with fleets and with WebSocket I/O, and in a reconnect storm of 5,000
   * canaries /metrics waited behind their events (up to 176 ms instead of well under 100).
   */
  private final Vertx apiVertx = Vertx.vertx(new VertxOptions()
      .setEventLoopPoolSize(1).setWorkerPoolSize(2).setInternalBlockingPoolSize(2));
  private String httpDeployment;
  private HttpApi httpApi;
  private final SelfWatch selfWatch;
  /** Room kept for a reconnect storm in the old generation, where the JVM needs it kept. */
  private Optional<QuietCollections> quietCollections = Optional.empty();
  /** Whether this many canaries want C2 where the JVM runs C1 only; checked at every apply. */
  private final CompilerAdvice compilerAdvice = CompilerAdvice.forThisJvm();

  public Agent(Vertx vertx, AgentConfig config, String version) {
    this.vertx = vertx;
    this.config = config;
    this.version = version;
    this.metrics = new AgentMetrics(version, config.rollout(), config.vantage(),
        config.targets().stream().anyMatch(t -> t.tls().insecureSkipVerify()), config.metricDetail());
    this.markers = new Markers(metrics.registry(), Clock.systemUTC());
    this.httpClients = new HttpClients();
    // One EventThread for the agent's life, not a new OS thread per idle fleet's ping.
    EventThreadKeepAlive.acquire();
    this.selfWatch = new SelfWatch(watchedLoops(), metrics.registry());
  }

  /** Every shared loop a canary's work passes through, and the HTTP API's. */
  private List<WatchedLoop> watchedLoops() {
    List<WatchedLoop> loops = new ArrayList<>(ClientLoops.of(httpClients));
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      loops.add(WatchedLoop.singleThread(LoopNames.FLEET_EVENT_LOOP, loop));
    }
    for (EventExecutor loop : ((VertxInternal) apiVertx).nettyEventLoopGroup()) {
      loops.add(WatchedLoop.singleThread(LoopNames.HTTP_API, loop));
    }
    return loops;
  }

  /** Starts the HTTP API, then every fleet; fails if the HTTP port cannot be bound. */
  public Future<Void> start() {
    selfWatch.start();
    quietCollections = QuietCollections.start(vertx, new QuietCollections.Canaries() {
      @Override
      public int count() {
        return fleets.stream().mapToInt(Fleet::size).sum();
      }

      @Override
      public int connected() {
        return fleets.stream().mapToInt(Fleet::connected).sum();
      }

      @Override
      public int measuring() {
        return fleets.stream().mapToInt(Fleet::measuring).sum();
      }
    });
    httpApi = new HttpApi(config.http(), () -> this.config.api(), metrics, markers, () -> fleets, version);
    return apiVertx.deployVerticle(httpApi)
        .onSuccess(id -> httpDeployment = id)
        .compose(id -> apply(config))
        .onSuccess(v -> log.atInfo()
            .addKeyValue("targets", config.ownTargets().size())
            .addKeyValue("fleets", fleets.size())
            .addKeyValue("canaries", totalCanaries(config))
            .addKeyValue("shard", config.sharding().ordinal() + "/" + config.sharding().count())
            .log("agent started"))
        .onFailure(e -> apiVertx.close());
  }

  /**
   * Moves the running fleets to {@code next}: starts new ones, stops removed ones, restarts only
   * changed ones. Untouched fleets keep their connections and histograms.
   */
  public Future<Void> apply(AgentConfig next) {
    warnAboutRestartOnlySettings(next);
    compilerAdvice.check(totalCanaries(next));
    next.ownTargets().stream().filter(t -> t.tls().insecureSkipVerify()).forEach(t -> log.atWarn()
        .addKeyValue("target", t.name())
        .log("TLS CERTIFICATE VERIFICATION IS OFF for this target (tls.insecure-skip-verify):"
            + " its canaries would trust an attacker's certificate; use tls.ca-file for a private CA"));
    Map<String, TargetConfig> wanted = new LinkedHashMap<>();
    for (TargetConfig target : next.ownTargets()) {
      for (TransportMode mode : target.transports()) {
        wanted.put(key(target.name(), mode), target);
      }
    }
    List<Future<?>> undeployed = new ArrayList<>();
    int stopped = 0;
    int kept = 0;
    for (Map.Entry<String, Running> entry : List.copyOf(running.entrySet())) {
      TargetConfig target = wanted.get(entry.getKey());
      if (target != null && target.equals(entry.getValue().fleet().target())) {
        kept++;
        continue;
      }
      running.remove(entry.getKey());
      undeployed.add(vertx.undeploy(entry.getValue().deploymentId()));
      stopped++;
    }
    List<Map.Entry<String, TargetConfig>> toStart =
        wanted.entrySet().stream().filter(e -> !running.containsKey(e.getKey())).toList();
    config = next;
    if (toStart.size() + stopped > 0 && httpDeployment != null) {
      log.atInfo().addKeyValue("started", toStart.size()).addKeyValue("stopped", stopped).addKeyValue("kept", kept)
          .log("fleets updated");
    }
    // A changed fleet's old meters must be gone before its replacement registers the same names.
    return Future.join(undeployed).compose(v -> {
      List<Future<?>> deployed = new ArrayList<>();
      for (Map.Entry<String, TargetConfig> entry : toStart) {
        TransportMode mode = TransportMode.fromLabel(entry.getKey().substring(entry.getKey().indexOf('\n') + 1))
            .orElseThrow();
        Fleet fleet = new Fleet(entry.getValue(), mode, metrics.registry(), httpClients, selfWatch);
        running.put(entry.getKey(), new Running(fleet, ""));
        deployed.add(vertx.deployVerticle(fleet).onSuccess(id -> running.computeIfPresent(entry.getKey(),
            (k, r) -> new Running(r.fleet(), id))));
      }
      fleets = running.values().stream().map(Running::fleet).toList();
      return Future.all(deployed).<Void>mapEmpty();
    }).onComplete(done -> fleets = running.values().stream().map(Running::fleet).toList());
  }

  private void warnAboutRestartOnlySettings(AgentConfig next) {
    if (!next.http().equals(config.http()) || !next.rollout().equals(config.rollout())
        || !next.vantage().equals(config.vantage()) || next.metricDetail() != config.metricDetail()) {
      log.warn("canary.http, canary.rollout, canary.vantage and canary.metrics take effect at the next restart;"
          + " the rest applies now");
    }
  }

  private static String key(String target, TransportMode mode) {
    return target + "\n" + mode.label();
  }

  /** Runs {@code companion} (a config reloader) in the agent's Vert.x; it stops with it. */
  public Future<String> deployCompanion(io.vertx.core.Deployable companion) {
    return vertx.deployVerticle(companion);
  }

  public AgentConfig config() {
    return config;
  }

  public int httpPort() {
    return httpApi.actualPort();
  }

  public List<Fleet> fleets() {
    return fleets;
  }

  public AgentMetrics metrics() {
    return metrics;
  }

  public HttpClients httpClients() {
    return httpClients;
  }

  /**
   * Disconnects every canary cleanly, waits up to {@code drain} for their goodbye packets and
   * close frames to leave, then stops the HTTP API and the HTTP client.
   */
  public Future<Void> stop(Duration drain) {
    List<Future<Void>> undeployed = new ArrayList<>();
    running.values().forEach(r -> undeployed.add(vertx.undeploy(r.deploymentId())));
    running.clear();
    fleets = List.of();
    if (httpDeployment != null) {
      undeployed.add(apiVertx.undeploy(httpDeployment));
    }
    return Future.join(undeployed).<Void>mapEmpty()
        .eventually(() -> ClientDrain.await(vertx, httpClients, drain))
        .eventually(() -> {
          selfWatch.close();
          quietCollections.ifPresent(QuietCollections::close);
          httpClients.close();
          EventThreadKeepAlive.release();
          metrics.close();
          return apiVertx.close();
        });
  }

  private static int totalCanaries(AgentConfig config) {
    return config.ownTargets().stream().mapToInt(t -> t.clients() * t.transports().size()).sum();
  }
}
