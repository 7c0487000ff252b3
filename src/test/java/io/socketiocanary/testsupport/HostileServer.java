package io.socketiocanary.testsupport;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SelfSignedCertificate;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Servers on 127.0.0.1 that answer a Socket.IO client wrongly, one port per {@link Behaviour},
 * in this test JVM's own Vert.x. Owns that Vert.x. Thread-safe after {@link #start()}.
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
    ENDLESS_CHUNKED
  }

  static final String VALID_OPEN =
      "0{\"sid\":\"hostile\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}";
  private static final Duration TRICKLE = Duration.ofMillis(500);

  private final Vertx vertx = Vertx.vertx();
  private final Map<Behaviour, Integer> ports = new EnumMap<>(Behaviour.class);

  public HostileServer start() {
    for (Behaviour b : Behaviour.values()) {
      ports.put(b, await(listen(b)));
    }
    return this;
  }

  /** The URL a target should use: http:// for every behaviour (also TLS_ON_PLAIN_URL). */
  public String url(Behaviour b) {
    return "http://127.0.0.1:" + ports.get(b);
  }

  private Future<Integer> listen(Behaviour b) {
    return switch (b) {
      case SLOWLORIS -> vertx.createNetServer().connectHandler(this::slowloris)
          .listen(0, "127.0.0.1").map(s -> s.actualPort());
      case TLS_ON_PLAIN_URL -> vertx.createNetServer(new NetServerOptions().setSsl(true)
              .setKeyCertOptions(SelfSignedCertificate.create().keyCertOptions()))
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
      case HUGE_PACKET -> response.end("4" + "x".repeat(8 * 1024 * 1024));
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

  /** Writes {@code chunk} for as long as the client reads, never ending the body. */
  private void endless(HttpServerResponse response, Buffer chunk) {
    if (response.closed()) {
      return;
    }
    while (!response.writeQueueFull()) {
      response.write(chunk);
    }
    response.drainHandler(v -> endless(response, chunk));
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
