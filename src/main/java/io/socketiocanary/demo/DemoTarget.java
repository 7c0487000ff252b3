package io.socketiocanary.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * The demo's target: a {@link DemoSocketIoServer} on an ephemeral port and an {@link
 * IdleTimeoutProxy} in front of it. Canaries pointed at {@link #proxyUrl()} live through the
 * idle-timeout incident; {@link #directUrl()} bypasses the proxy.
 *
 * <p>Thread-safe: {@link #start()} and {@link #stop()} may be called from any thread; the servers
 * keep their state on their own Vert.x contexts. Not restartable after {@link #stop()}.
 */
public final class DemoTarget {

  private final Vertx vertx;
  private final DemoSettings settings;
  private final int proxyPort;
  private final DemoSocketIoServer server;
  private volatile IdleTimeoutProxy proxy;

  /**
   * @param proxyPort the port of the proxy on 127.0.0.1, or 0 for an ephemeral one
   */
  public DemoTarget(Vertx vertx, DemoSettings settings, int proxyPort) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.settings = Objects.requireNonNull(settings, "settings");
    if (proxyPort < 0 || proxyPort > 65535) {
      throw new IllegalArgumentException("proxyPort must be between 0 and 65535, was " + proxyPort);
    }
    this.proxyPort = proxyPort;
    this.server = new DemoSocketIoServer(vertx, 0, settings.pingInterval(), settings.pingTimeout());
  }

  /** A target whose proxy listens on an ephemeral port. */
  public DemoTarget(Vertx vertx, DemoSettings settings) {
    this(vertx, settings, 0);
  }

  /** Starts the server, then the proxy in front of it; fails (and cleans up) if either fails. */
  public Future<Void> start() {
    return server.start().compose(serverPort -> {
      IdleTimeoutProxy created = new IdleTimeoutProxy(
          vertx, proxyPort, "127.0.0.1", serverPort, settings.proxyIdleTimeout());
      proxy = created;
      return created.start()
          .recover(e -> server.stop().transform(ignored -> Future.failedFuture(e)));
    }).mapEmpty();
  }

  /** Stops the proxy, then the server. */
  public Future<Void> stop() {
    IdleTimeoutProxy running = proxy;
    Future<Void> proxyStopped = running == null ? Future.succeededFuture() : running.stop();
    return proxyStopped.eventually(server::stop);
  }

  /** Base URL of the proxy, for example {@code http://127.0.0.1:8080}. */
  public String proxyUrl() {
    return "http://127.0.0.1:" + proxy().port();
  }

  /** Base URL of the Socket.IO server itself, without the proxy. */
  public String directUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  public DemoSettings settings() {
    return settings;
  }

  public DemoSocketIoServer server() {
    return server;
  }

  public IdleTimeoutProxy proxy() {
    IdleTimeoutProxy running = proxy;
    if (running == null) {
      throw new IllegalStateException("the demo target has not been started");
    }
    return running;
  }
}
