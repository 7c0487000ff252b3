package io.socketiocanary.demo;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 that forwards bytes both ways to a target and closes both sides of a
 * connection once no byte has passed in either direction for {@code idleTimeout}: what nginx's
 * {@code proxy_read_timeout} does to a WebSocket whose server pings less often than the timeout,
 * and to a long-poll held longer than it. The cut is abrupt, as with nginx on an upgraded
 * connection: a TCP close, no WebSocket close frame and no HTTP response. (nginx answers a cut
 * long-poll with a 504; here the client sees the connection end, which also fails its poll.)
 *
 * <p>Each connection has one timer, armed for the idle deadline; traffic only records the time,
 * and a timer that fires early re-arms itself for the remainder. That costs one field write per
 * chunk and at most one timer event per {@code idleTimeout} per connection, cheaper than
 * cancelling a timer on every chunk or scanning all connections from a periodic timer.
 *
 * <p>Thread confinement: {@link #start()} deploys a verticle, and every connection and timer lives
 * on its context. The public methods may be called from any thread.
 */
public final class IdleTimeoutProxy {

  private final Vertx vertx;
  private final int port;
  private final String targetHost;
  private final int targetPort;
  private final Duration idleTimeout;
  private final AtomicLong idleCuts = new AtomicLong();
  private final AtomicInteger openConnections = new AtomicInteger();
  private volatile String deploymentId;
  private volatile int actualPort = -1;

  /**
   * @param port the port to bind on 127.0.0.1, or 0 for an ephemeral one
   * @param targetHost the host to forward to, normally {@code 127.0.0.1}
   */
  public IdleTimeoutProxy(
      Vertx vertx, int port, String targetHost, int targetPort, Duration idleTimeout) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    if (targetPort < 1 || targetPort > 65535) {
      throw new IllegalArgumentException("targetPort must be between 1 and 65535, was " + targetPort);
    }
    if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
    }
    this.port = port;
    this.targetHost = Objects.requireNonNull(targetHost, "targetHost");
    this.targetPort = targetPort;
    this.idleTimeout = idleTimeout;
  }

  /** Binds and completes with the bound port. */
  public Future<Integer> start() {
    Forwarder forwarder = new Forwarder();
    return vertx.deployVerticle(forwarder).map(id -> {
      deploymentId = id;
      actualPort = forwarder.server.actualPort();
      return actualPort;
    });
  }

  /** Closes the listener and every connection. */
  public Future<Void> stop() {
    String id = deploymentId;
    if (id == null) {
      return Future.succeededFuture();
    }
    deploymentId = null;
    return vertx.undeploy(id);
  }

  /** The bound port, or -1 before {@link #start()} completes. */
  public int port() {
    return actualPort;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Connections closed by the idle timer since start. */
  public long idleCuts() {
    return idleCuts.get();
  }

  /** Client connections open now. */
  public int openConnections() {
    return openConnections.get();
  }

  /** The verticle that owns the listener, the client and every connection. */
  private final class Forwarder extends VerticleBase {
    private final Set<Link> links = new HashSet<>();
    private NetServer server;
    private NetClient client;

    @Override
    public Future<?> start() {
      client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
      server = vertx.createNetServer(
          new NetServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true));
      return server.connectHandler(this::accept).listen();
    }

    @Override
    public Future<?> stop() {
      List.copyOf(links).forEach(Link::close);
      return Future.join(server.close(), client.close());
    }

    private void accept(NetSocket downstream) {
      downstream.pause();
      openConnections.incrementAndGet();
      client.connect(targetPort, targetHost).onComplete(connected -> {
        if (connected.failed()) {
          openConnections.decrementAndGet();
          downstream.close();
          return;
        }
        Link link = new Link(downstream, connected.result());
        links.add(link);
        link.start();
      });
    }

    /** One proxied connection: the client side, the target side and their idle deadline. */
    private final class Link {
      private final NetSocket downstream;
      private final NetSocket upstream;
      private final long idleNanos = idleTimeout.toNanos();
      private long lastTraffic = System.nanoTime();
      private long timer = -1;
      private boolean closed;

      Link(NetSocket downstream, NetSocket upstream) {
        this.downstream = downstream;
        this.upstream = upstream;
      }

      void start() {
        forward(downstream, upstream);
        forward(upstream, downstream);
        arm(idleNanos);
        downstream.resume();
      }

      private void forward(NetSocket from, NetSocket to) {
        from.handler((Buffer chunk) -> {
          lastTraffic = System.nanoTime();
          to.write(chunk);
          if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
          }
        });
        from.closeHandler(v -> close());
        from.exceptionHandler(e -> close());
      }

      private void arm(long delayNanos) {
        long delayMs = Math.max(1, (delayNanos + 999_999) / 1_000_000);
        timer = vertx.setTimer(delayMs, t -> {
          timer = -1;
          long idleFor = System.nanoTime() - lastTraffic;
          if (idleFor >= idleNanos) {
            idleCuts.incrementAndGet();
            close();
          } else {
            arm(idleNanos - idleFor);
          }
        });
      }

      void close() {
        if (closed) {
          return;
        }
        closed = true;
        if (timer >= 0) {
          vertx.cancelTimer(timer);
        }
        links.remove(this);
        openConnections.decrementAndGet();
        downstream.close();
        upstream.close();
      }
    }
  }
}
