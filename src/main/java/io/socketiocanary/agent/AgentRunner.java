package io.socketiocanary.agent;

import io.socketiocanary.client.compat.LibraryWorkarounds;
import io.socketiocanary.config.AgentConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link Agent} in the foreground until SIGTERM or SIGINT, then disconnects every canary
 * cleanly and exits 0 within {@link #SHUTDOWN_BUDGET}. The exit code is forced to 0 after a clean
 * stop: the JVM would otherwise report 143 for a SIGTERM it handled perfectly well, and the
 * Socket.IO client's non-daemon Timer threads must not keep the process alive.
 */
public final class AgentRunner {
  private static final Logger log = LoggerFactory.getLogger(AgentRunner.class);
  /** Time for canaries to say goodbye before the HTTP client is torn down. */
  static final Duration DRAIN = Duration.ofSeconds(3);
  static final Duration SHUTDOWN_BUDGET = Duration.ofSeconds(10);
  static final Duration STARTUP_BUDGET = Duration.ofSeconds(60);

  private AgentRunner() {}

  /**
   * Starts the agent and blocks until the process is told to stop; returns an exit code.
   *
   * @param configure starts what the agent needs in the same Vert.x (the demo starts its target)
   *     and yields the configuration
   * @param started told the running agent and its base URL, to print where to look or to start
   *     companions such as the config reloader
   */
  public static int runUntilSignalled(Function<Vertx, Future<AgentConfig>> configure, String version,
      PrintWriter out, BiConsumer<Agent, String> started) {
    // Once per process: which workarounds for the client libraries' internals are on.
    LibraryWorkarounds.logStatus();
    Vertx vertx = Vertx.vertx(fleetOptions());
    Agent agent;
    try {
      AgentConfig config = await(configure.apply(vertx), STARTUP_BUDGET);
      agent = new Agent(vertx, config, version);
      await(agent.start(), STARTUP_BUDGET);
    } catch (Exception e) {
      log.atError().addKeyValue("error", rootMessage(e)).log("agent could not start");
      await(vertx.close(), SHUTDOWN_BUDGET);
      return 1;
    }
    String baseUrl = "http://" + displayHost(agent.config().http().host()) + ":" + agent.httpPort();
    out.printf("socketio-canary %s: %d fleets, metrics on %s/metrics, status on %s/%n",
        version, agent.fleets().size(), baseUrl, baseUrl);
    started.accept(agent, baseUrl);
    out.flush();
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, agent), "canary-shutdown"));
    try {
      forever.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * One event loop per core for the fleets, as for the canaries' own I/O ({@code HttpClients}):
   * nothing blocks on them, so Vert.x's default of two per core only adds threads, each one more
   * for the self-watch to wake four times a second.
   */
  private static VertxOptions fleetOptions() {
    return new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors());
  }

  private static void shutdown(Vertx vertx, Agent agent) {
    long start = System.nanoTime();
    log.info("stopping: disconnecting every canary");
    int code = 0;
    try {
      await(agent.stop(DRAIN), SHUTDOWN_BUDGET);
      await(vertx.close(), Duration.ofSeconds(3));
    } catch (Exception e) {
      log.atWarn().addKeyValue("error", rootMessage(e)).log("shutdown did not complete cleanly");
      code = 1;
    }
    log.atInfo().addKeyValue("took_ms", (System.nanoTime() - start) / 1_000_000).log("stopped");
    Runtime.getRuntime().halt(code);
  }

  private static <T> T await(Future<T> future, Duration budget) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(budget.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(rootMessage(e), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out after " + budget.toSeconds() + " s", e);
    }
  }

  private static String displayHost(String host) {
    return "0.0.0.0".equals(host) || "::".equals(host) ? "localhost" : host;
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
