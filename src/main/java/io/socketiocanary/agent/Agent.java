package io.socketiocanary.agent;

import io.socketiocanary.canary.Fleet;
import io.socketiocanary.client.HttpClients;
import io.socketiocanary.config.AgentConfig;
import io.socketiocanary.config.TargetConfig;
import io.socketiocanary.config.TransportMode;
import io.socketiocanary.http.HttpApi;
import io.socketiocanary.metrics.AgentMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.socketiocanary.rollout.Markers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: one {@link Fleet} per target × transport mode, the shared HTTP client they
 * connect through, and the HTTP API. Data flows one way: config → fleets → canaries → metrics
 * and status → HTTP.
 */
public final class Agent {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final Vertx vertx;
  private final AgentConfig config;
  private final String version;
  private final AgentMetrics metrics;
  private final HttpClients httpClients;
  private final List<Fleet> fleets = new CopyOnWriteArrayList<>();
  private final List<String> deployments = new CopyOnWriteArrayList<>();
  private final Markers markers;
  private HttpApi httpApi;

  public Agent(Vertx vertx, AgentConfig config, String version) {
    this.vertx = vertx;
    this.config = config;
    this.version = version;
    this.metrics = new AgentMetrics(version, config.rollout());
    this.markers = new Markers(metrics.registry(), Clock.systemUTC());
    this.httpClients = new HttpClients(totalCanaries(config));
  }

  /** Starts the HTTP API, then every fleet; fails if the HTTP port cannot be bound. */
  public Future<Void> start() {
    httpApi = new HttpApi(config.http(), config.api(), metrics, markers, () -> List.copyOf(fleets), version);
    return vertx.deployVerticle(httpApi)
        .onSuccess(deployments::add)
        .compose(id -> startFleets())
        .onSuccess(v -> log.atInfo().addKeyValue("targets", config.targets().size())
            .addKeyValue("fleets", fleets.size()).addKeyValue("canaries", totalCanaries(config))
            .log("agent started"));
  }

  private Future<Void> startFleets() {
    List<Future<String>> started = new ArrayList<>();
    for (TargetConfig target : config.targets()) {
      for (TransportMode mode : target.transports()) {
        Fleet fleet = new Fleet(target, mode, metrics.registry(), httpClients);
        fleets.add(fleet);
        started.add(vertx.deployVerticle(fleet).onSuccess(deployments::add));
      }
    }
    return Future.all(started).mapEmpty();
  }

  public AgentConfig config() {
    return config;
  }

  public int httpPort() {
    return httpApi.actualPort();
  }

  public List<Fleet> fleets() {
    return List.copyOf(fleets);
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
    for (String id : List.copyOf(deployments)) {
      undeployed.add(vertx.undeploy(id));
    }
    return Future.join(undeployed).<Void>mapEmpty()
        .eventually(() -> ClientDrain.await(vertx, httpClients, drain))
        .eventually(() -> {
          httpClients.close();
          metrics.close();
          return Future.succeededFuture();
        });
  }

  private static int totalCanaries(AgentConfig config) {
    return config.targets().stream().mapToInt(t -> t.clients() * t.transports().size()).sum();
  }
}
