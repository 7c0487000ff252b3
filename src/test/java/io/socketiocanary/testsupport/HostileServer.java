package io.socketiocanary.testsupport;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SelfSignedCertificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Servers on 127.0.0.1 that answer a Socket.IO client wrongly, one port per {@link Behaviour},
 * in this test JVM's own Vert.x, each on an event loop of its own: a harness bug in one behaviour
 * must not silence the others (it did: an endless writer spinning on a closed connection blocked
 * the one loop every server shared, and the agent rightly counted {@code timeout} for all of
 * them). {@link #maxLoopLag()} tells a test whether its servers were answering at all. Owns that
 * Vert.x. Thread-safe after {@link #start()}.
 */
public final class HostileServer implements AutoCloseable {

  /** How a server misbehaves. */
  public enum Behaviour {
    /** HTTP 200 with an HTML page, to polling and WebSocket requests alike. */
    NOT_ENGINE_IO,
    /** A truncated open packet, on polling and as the first WebSocket message. */
    TRUNCATED_OPEN,
    /** A polling answer of 8 MiB: one packet far larger than any maxPayload. */
    HUGE_PACKET,
    /** A valid Engine.IO open, then a namespace CONNECT answer with invalid JSON. */
    INVALID_CONNECT_JSON,
    /** A status line, then one header line every 500 ms, never the blank line that ends them. */
    SLOWLORIS,
    /** TLS on a port the target calls http://. */
    TLS_ON_PLAIN_URL,
    /** A 302 to the very same URL. */
    REDIRECT_LOOP,
    /** 200 with a chunked body that never ends. */
    ENDLESS_CHUNKED,
    /** Accepts the TCP connection, reads, and never sends a byte. */
    SILENT,
    /** Bytes that are not TLS as soon as the connection opens, whatever the client says (for https:// URLs). */
    GARBAGE
  }

  static final String VALID_OPEN =
      "0{\"sid\":\"hostile\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}";
  private static final Duration TRICKLE = Duration.ofMillis(500);

  /** How often each server's event loop is checked for lag. */
  private static final long LAG_PROBE_MILLIS = 100;

  /** Built once: 8 MiB per request built on the event loop cost seconds on a busy machine. */
  private static final Buffer HUGE_BODY = Buffer.buffer("4" + "x".repeat(8 * 1024 * 1024));

  // A loop blocked for over a second is logged with its stack: whatever did it is the harness's bug.
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Behaviour.values().length)
      .setMaxEventLoopExecuteTime(1).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS)
      .setWarningExceptionTime(1).setWarningExceptionTimeUnit(TimeUnit.SECONDS));
  private final Map<Behaviour, Integer> ports = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicLong maxLagNanos = new AtomicLong();
  private SelfSignedCertificate tlsCertificate;
  /** When each server's lag timer is due next: a loop blocked for good never runs it again. */
  private final Map<Behaviour, AtomicLong> nextDue = new java.util.concurrent.ConcurrentHashMap<>();

  public HostileServer start() {
    // keytool work takes seconds on a busy machine: not on an event loop, whose lag is measured.
    tlsCertificate = SelfSignedCertificate.create();
    for (Behaviour b : Behaviour.values()) {
      // A verticle per behaviour: deployments take the event loops in turn, one each.
      Promise<Integer> port = Promise.promise();
      await(vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          return listen(b).onSuccess(p -> watchLag(b)).onComplete(port);
        }
      }));
      ports.put(b, await(port.future()));
    }
    return this;
  }

  /**
   * The longest any server's event loop was late to run a timer since {@link #start()}: a blocked
   * loop answers nobody, so a test that sees more than a few hundred ms must blame its harness.
   */
  public Duration maxLoopLag() {
    long now = System.nanoTime();
    long stillWaiting = nextDue.values().stream().mapToLong(due -> now - due.get()).max().orElse(0);
    return Duration.ofNanos(Math.max(maxLagNanos.get(), stillWaiting));
  }

  /** On the calling verticle's event loop: a periodic timer that measures how late it runs. */
  private void watchLag(Behaviour b) {
    AtomicLong due = new AtomicLong(System.nanoTime() + LAG_PROBE_MILLIS * 1_000_000);
    nextDue.put(b, due);
    vertx.setPeriodic(LAG_PROBE_MILLIS, id -> {
      long now = System.nanoTime();
      maxLagNanos.accumulateAndGet(now - due.get(), Math::max);
      due.set(now + LAG_PROBE_MILLIS * 1_000_000);
    });
  }

  /** The URL a target should use: http:// for every behaviour (also TLS_ON_PLAIN_URL). */
  public String url(Behaviour b) {
    return "http://127.0.0.1:" + ports.get(b);
  }

  private Future<Integer> listen(Behaviour b) {
    return switch (b) {
      case SLOWLORIS -> vertx.createNetServer().connectHandler(this::slowloris)
          .listen(0, "127.0.0.1").map(s -> s.actualPort());
      case SILENT -> vertx.createNetServer().connectHandler(socket -> socket.handler(data -> { }))
          .listen(0, "127.0.0.1").map(s -> s.actualPort());
      // Text, not random bytes: random ones now and then begin like a TLS record header with a
      // large length, and the client then waits for the rest (a timeout, not a TLS failure).
      case GARBAGE -> vertx.createNetServer().connectHandler(socket -> {
        socket.handler(data -> { });
        socket.write("garbage, not TLS\r\n".repeat(64));
      }).listen(0, "127.0.0.1").map(s -> s.actualPort());
      case TLS_ON_PLAIN_URL -> vertx.createNetServer(new NetServerOptions().setSsl(true)
              .setKeyCertOptions(tlsCertificate.keyCertOptions()))
          .connectHandler(socket -> socket.handler(data -> { }))
          .listen(0, "127.0.0.1").map(s -> s.actualPort());
      default -> vertx.createHttpServer().requestHandler(request -> http(b, request))
          .listen(0, "127.0.0.1").map(s -> s.actualPort());
    };
  }

  private void http(Behaviour b, HttpServerRequest request) {
    boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    boolean handshake = request.getParam("sid") == null;
    HttpServerResponse response = request.response();
    switch (b) {
      case NOT_ENGINE_IO -> response.putHeader("content-type", "text/html")
          .end("<html><body>Welcome to our shop</body></html>");
      case TRUNCATED_OPEN -> {
        if (upgrade) {
          request.toWebSocket().onSuccess(ws -> ws.writeTextMessage(VALID_OPEN.substring(0, 20)));
        } else {
          response.end(VALID_OPEN.substring(0, 20));
        }
      }
      case HUGE_PACKET -> response.end(HUGE_BODY.copy());
      case INVALID_CONNECT_JSON -> {
        if (request.method().name().equals("POST")) {
          response.end("ok");
        } else if (handshake) {
          response.end(VALID_OPEN);
        } else {
          vertx.setTimer(300, id -> response.end("40{\"sid\":\"abc"));
        }
      }
      case REDIRECT_LOOP -> response.setStatusCode(302).putHeader("Location", request.uri()).end();
      case ENDLESS_CHUNKED -> {
        response.setChunked(true).putHeader("content-type", "text/plain; charset=UTF-8");
        endless(response, Buffer.buffer("4" + "y".repeat(64 * 1024)));
      }
      default -> response.setStatusCode(500).end();
    }
  }

  /**
   * Writes {@code chunk} for as long as the client reads, never ending the body: one chunk per
   * turn of the event loop, the next once the last was written (or the queue drained), and none
   * after a write failed. A tight loop on {@code writeQueueFull()} spun forever here: once the
   * client has gone, writes fail without filling the queue, and the close event that would end
   * the loop waits behind it on the same event loop.
   */
  private void endless(HttpServerResponse response, Buffer chunk) {
    response.write(chunk).onComplete(written -> {
      if (written.failed() || response.closed()) {
        return;
      }
      if (response.writeQueueFull()) {
        response.drainHandler(v -> endless(response, chunk));
      } else {
        vertx.runOnContext(v -> endless(response, chunk));
      }
    });
  }

  private void slowloris(NetSocket socket) {
    socket.handler(data -> { });
    socket.write("HTTP/1.1 200 OK\r\n");
    long timer = vertx.setPeriodic(TRICKLE.toMillis(), id -> socket.write("X-Slow: y\r\n"));
    socket.closeHandler(v -> vertx.cancelTimer(timer));
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("hostile server: " + e, e);
    }
  }
}
