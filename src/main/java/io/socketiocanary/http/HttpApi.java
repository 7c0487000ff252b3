package io.socketiocanary.http;

import io.socketiocanary.canary.Fleet;
import io.socketiocanary.config.HttpSettings;
import io.socketiocanary.metrics.AgentMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.socketiocanary.config.ApiSettings;
import io.socketiocanary.rollout.Markers;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP endpoint: what Prometheus scrapes, what Kubernetes probes, what humans read.
 * Read-only; every handler works on immutable snapshots, so it never waits on a fleet.
 */
public final class HttpApi extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  /** The status page and its two assets, from {@code webroot/} on the classpath; nothing else. */
  static final String STATUS_PAGE = "/|/index\\.html|/status\\.(js|css)";
  /**
   * The page renders error details that remote servers wrote. It builds the DOM with textContent
   * only; this policy is the second line: no inline script, nothing from another origin.
   */
  static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final HttpSettings settings;
  private final Supplier<ApiSettings> api;
  private final AgentMetrics metrics;
  private final MarkersApi markers;
  private final Supplier<List<Fleet>> fleets;
  private final String version;
  private final Instant startedAt = Instant.now();
  private HttpServer server;
  /**
   * Two threads of its own for rendering, instead of Vert.x's shared pool of 20: scrapes and status
   * reads are few, and a bounded, named pool shows up as such in a thread dump.
   */
  private WorkerExecutor renderer;

  public HttpApi(HttpSettings settings, Supplier<ApiSettings> api, AgentMetrics metrics, Markers markers,
      Supplier<List<Fleet>> fleets, String version) {
    this.settings = settings;
    this.api = api;
    this.metrics = metrics;
    this.markers = new MarkersApi(api, markers, fleets);
    this.fleets = fleets;
    this.version = version;
  }

  @Override
  public Future<?> start() {
    renderer = vertx.createSharedWorkerExecutor("canary-render", 2);
    Router router = Router.router(vertx);
    router.getWithRegex(STATUS_PAGE).handler(this::pageHeaders).handler(statusPage());
    router.get("/metrics").handler(this::metrics);
    router.get("/health").handler(this::health);
    router.get("/ready").handler(this::ready);
    router.get("/api/status").handler(this::status);
    router.get("/api/markers").handler(markers::list);
    router.post("/api/markers").handler(BodyHandler.create().setBodyLimit(MarkersApi.MAX_BODY_BYTES))
        .handler(markers::create);
    router.post("/api/recycle").handler(BodyHandler.create().setBodyLimit(MarkersApi.MAX_BODY_BYTES))
        .handler(markers::recycle);
    router.route().last().handler(ctx -> MarkersApi.error(ctx, 404, "no such endpoint"));
    router.errorHandler(413, ctx -> MarkersApi.error(ctx, 413, "request body too large"));
    if (api.get().token().isEmpty()) {
      log.info("mutating API disabled (POST /api/markers and /api/recycle answer 403): no canary.api.token configured");
    }
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(settings.host())
        .setPort(settings.port())
        .setCompressionSupported(true));
    return server.requestHandler(router).listen()
        .onSuccess(s -> log.atInfo().addKeyValue("address", settings.host() + ":" + s.actualPort())
            .log("serving the status page on /, and /metrics, /health, /ready, /api/status"));
  }

  /** The bound port (differs from the configured one when that was 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private static StaticHandler statusPage() {
    // Caching off: an upgraded agent must never run last version's script against its new JSON.
    return StaticHandler.create("webroot").setCachingEnabled(false).setDirectoryListing(false)
        .setIndexPage("index.html");
  }

  private void pageHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Cache-Control", "no-cache")
        .putHeader("Content-Security-Policy", PAGE_CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }

  /**
   * Rendered on a worker thread, as is the status: with thousands of canaries both take
   * milliseconds, which must not delay the canaries' events on a shared event loop.
   */
  private void metrics(RoutingContext ctx) {
    // Prometheus and its kin announce a periodic scrape with this header; see CompactExposition.
    Optional<String> scraper = Optional.ofNullable(ctx.request().getHeader("X-Prometheus-Scrape-Timeout-Seconds"))
        .map(timeout -> Optional.ofNullable(ctx.request().remoteAddress()).map(a -> a.hostAddress()).orElse("")
            + " " + Optional.ofNullable(ctx.request().getHeader("User-Agent")).orElse(""));
    renderer.executeBlocking(() -> metrics.scrape(scraper), false)
        .onSuccess(text -> ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(text))
        .onFailure(ctx::fail);
  }

  private void health(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("ok\n");
  }

  private void ready(RoutingContext ctx) {
    boolean ready = isReady();
    ctx.response().setStatusCode(ready ? 200 : 503)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(ready ? "ready\n" : "starting\n");
  }

  private void status(RoutingContext ctx) {
    boolean ready = isReady();
    renderer.executeBlocking(() -> StatusJson.render(version, startedAt, ready, fleets.get(), Instant.now()).encode(), false)
        .onSuccess(json -> ctx.response().putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-store").end(json))
        .onFailure(ctx::fail);
  }

  private boolean isReady() {
    List<Fleet> current = fleets.get();
    return !current.isEmpty() && current.stream().allMatch(Fleet::started);
  }
}
