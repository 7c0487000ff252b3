package io.socketiocanary.demo;

import io.socketiocanary.protocol.EngineIoError;
import io.socketiocanary.protocol.EnginePacket;
import io.socketiocanary.protocol.SocketIoPacket;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A small Socket.IO v5 / Engine.IO v4 server for the demo, on 127.0.0.1: long-polling, direct
 * WebSocket and the polling → WebSocket upgrade, the server-driven heartbeat, namespace connect
 * and an ack for every event; binary messages and attachments too. The Socket.IO layer is one
 * {@link Application} of the Engine.IO server; tests plug in others (the conformance setups).
 *
 * <p>Thread confinement: {@link #start()} deploys a verticle, and every session, transport and
 * timer lives on that verticle's context. The public methods may be called from any thread;
 * {@link #sessionCount()} reads a counter kept for other threads.
 */
public final class DemoSocketIoServer {

  /** Path of the Engine.IO endpoint, as in the clients' default. */
  public static final String PATH = "/socket.io/";

  static final int MAX_PAYLOAD = 1_000_000;
  /** How long a session may stay without a namespace before it is closed: socket.io's default. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(45);

  /**
   * What the server does with its sessions' messages: the Socket.IO layer, or in tests another
   * application of Engine.IO. Called on the server's context, like the sessions.
   */
  interface Application extends EngineSession.Listener {
    void onOpen(EngineSession session);
  }

  private final Vertx vertx;
  private final int port;
  private final String path;
  private final Supplier<Application> application;
  private final Duration pingInterval;
  private final Duration pingTimeout;
  private final AtomicInteger sessionCount = new AtomicInteger();
  private volatile String deploymentId;
  private volatile int actualPort = -1;

  /**
   * @param port the port to bind on 127.0.0.1, or 0 for an ephemeral one (see {@link #start()})
   * @param namespaces the namespaces clients may connect to, for example {@code "/"}
   */
  public DemoSocketIoServer(
      Vertx vertx, int port, Duration pingInterval, Duration pingTimeout, Set<String> namespaces) {
    this(vertx, port, PATH, pingInterval, pingTimeout, socketIo(vertx, checked(namespaces)));
  }

  private static Supplier<Application> socketIo(Vertx vertx, Set<String> namespaces) {
    return () -> new SocketIoLayer(vertx, SocketIoLayer.acknowledgingEvents(namespaces), CONNECT_TIMEOUT);
  }

  /** A server at {@code path} whose sessions' messages go to a new {@code application} per start. */
  DemoSocketIoServer(Vertx vertx, int port, String path, Duration pingInterval, Duration pingTimeout,
      Supplier<Application> application) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    this.port = port;
    this.path = Objects.requireNonNull(path, "path");
    this.pingInterval = positive(pingInterval, "pingInterval");
    this.pingTimeout = positive(pingTimeout, "pingTimeout");
    this.application = application;
  }

  private static Set<String> checked(Set<String> namespaces) {
    if (namespaces.isEmpty() || !namespaces.stream().allMatch(n -> n.startsWith("/"))) {
      throw new IllegalArgumentException("namespaces must be non-empty and start with '/'");
    }
    return Set.copyOf(namespaces);
  }

  /** A server for the root namespace {@code /} only. */
  public DemoSocketIoServer(Vertx vertx, int port, Duration pingInterval, Duration pingTimeout) {
    this(vertx, port, pingInterval, pingTimeout, Set.of(SocketIoPacket.ROOT));
  }

  /** Binds and completes with the bound port; fails when the port cannot be bound. */
  public Future<Integer> start() {
    Engine engine = new Engine();
    return vertx.deployVerticle(engine).map(id -> {
      deploymentId = id;
      actualPort = engine.server.actualPort();
      return actualPort;
    });
  }

  /** Closes every session and the listener. */
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

  /** Engine.IO sessions open now. */
  public int sessionCount() {
    return sessionCount.get();
  }

  public Duration pingInterval() {
    return pingInterval;
  }

  public Duration pingTimeout() {
    return pingTimeout;
  }

  static void reject(HttpServerRequest request, EngineIoError error) {
    request.response()
        .setStatusCode(400)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(error.body());
  }

  private static Duration positive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }

  /** The verticle that owns the listener and all session state. */
  private final class Engine extends VerticleBase implements EngineSession.Listener {
    private final Map<String, EngineSession> sessions = new HashMap<>();
    private final Application app = application.get();
    private HttpServer server;

    @Override
    public Future<?> start() {
      server = vertx.createHttpServer(new HttpServerOptions()
          .setHost("127.0.0.1")
          .setPort(port)
          .setMaxWebSocketFrameSize(MAX_PAYLOAD)
          .setMaxWebSocketMessageSize(MAX_PAYLOAD)
          // engine.io's default (perMessageDeflate: false). With compression a client such as
          // Node's ws deflates each frame off its event loop, so "2probe" and "5" reach the server
          // after a poll sent later, and that poll is answered instead of refused.
          .setPerMessageWebSocketCompressionSupported(false)
          .setPerFrameWebSocketCompressionSupported(false));
      return server.requestHandler(this::handle).listen();
    }

    @Override
    public Future<?> stop() {
      List.copyOf(sessions.values()).forEach(s -> s.close("server shutting down"));
      return server.close();
    }

    private void handle(HttpServerRequest request) {
      if (!request.path().startsWith(path)) {
        request.response().setStatusCode(404).end();
        return;
      }
      if (!"4".equals(request.getParam("EIO"))) {
        reject(request, EngineIoError.UNSUPPORTED_PROTOCOL_VERSION);
        return;
      }
      String transport = request.getParam("transport");
      if (!PollingTransport.NAME.equals(transport) && !WebSocketTransport.NAME.equals(transport)) {
        reject(request, EngineIoError.UNKNOWN_TRANSPORT);
        return;
      }
      String sid = request.getParam("sid");
      EngineSession session = sid == null ? null : sessions.get(sid);
      if (sid != null && session == null) {
        reject(request, EngineIoError.UNKNOWN_SID);
        return;
      }
      boolean polling = PollingTransport.NAME.equals(transport);
      if (polling) {
        handlePolling(request, session);
      } else {
        handleWebSocket(request, session);
      }
    }

    private void handlePolling(HttpServerRequest request, EngineSession session) {
      if (session == null) {
        if (request.method() != HttpMethod.GET) {
          reject(request, EngineIoError.BAD_HANDSHAKE_METHOD);
          return;
        }
        EngineSession created = newSession();
        PollingTransport transport = new PollingTransport(created);
        created.open(transport);
        transport.handshake(request);
        return;
      }
      if (!(session.transport() instanceof PollingTransport transport)) {
        reject(request, EngineIoError.BAD_REQUEST); // the session has upgraded: TRANSPORT_MISMATCH
        return;
      }
      if (request.method() == HttpMethod.GET) {
        transport.onGet(request);
      } else if (request.method() == HttpMethod.POST) {
        transport.onPost(request);
      } else {
        reject(request, EngineIoError.BAD_REQUEST);
      }
    }

    private void handleWebSocket(HttpServerRequest request, EngineSession session) {
      if (!request.canUpgradeToWebSocket()) {
        reject(request, EngineIoError.BAD_REQUEST);
        return;
      }
      request.toWebSocket().onSuccess(ws -> {
        if (session == null) {
          WebSocketTransport.direct(newSession(), ws);
        } else if (session.canProbe()) {
          WebSocketTransport.probe(session, ws);
        } else {
          // Already upgraded or probing: engine.io opens the WebSocket and closes it at once.
          ws.close();
        }
      });
    }

    private EngineSession newSession() {
      EngineSession session = new EngineSession(
          Ids.next(), vertx, pingInterval.toMillis(), pingTimeout.toMillis(), this);
      sessions.put(session.id(), session);
      sessionCount.incrementAndGet();
      app.onOpen(session);
      return session;
    }

    @Override
    public void onMessage(EngineSession session, EnginePacket message) {
      app.onMessage(session, message);
    }

    @Override
    public void onClose(EngineSession session, String reason) {
      if (sessions.remove(session.id()) != null) {
        sessionCount.decrementAndGet();
      }
      app.onClose(session, reason);
    }
  }
}
