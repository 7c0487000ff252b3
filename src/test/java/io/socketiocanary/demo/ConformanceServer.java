package io.socketiocanary.demo;

import io.socketiocanary.protocol.EnginePacket;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The embedded server set up as socket.io's published conformance suites expect
 * (socketio/engine.io-protocol and socketio/socket.io-protocol, {@code test-suite/}): ping every
 * 300 ms, 200 ms ping timeout, 1 MB max payload and, per suite, the reference server's behaviour.
 * A test fixture: the demo itself never runs like this.
 *
 * <p>It also answers questions about a session's state on the server's context (is a long-poll
 * held? has the session upgraded?) so that tests wait for that state instead of for a time.
 *
 * <p>Run by hand for the published suites: {@code main engine.io|socket.io [port]} listens on
 * 127.0.0.1 (port 3000 by default) until killed.
 */
final class ConformanceServer {
  static final Duration PING_INTERVAL = Duration.ofMillis(300);
  static final Duration PING_TIMEOUT = Duration.ofMillis(200);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  /** The two reference servers of the suites' READMEs. */
  enum Setup {
    /** {@code engine.io}'s {@code listen()}: path /engine.io/, every message echoed as it came. */
    ENGINE_IO("/engine.io/", vertx -> new Echo()),
    /**
     * {@code socket.io} with connectTimeout 1 s: namespaces / and /custom emit {@code auth} with the
     * handshake's auth; / echoes "message" as "message-back" and acknowledges "message-with-ack"
     * with its arguments.
     */
    SOCKET_IO("/socket.io/", vertx -> new SocketIoLayer(vertx,
        Map.of("/", new ReferenceNamespace(true), "/custom", new ReferenceNamespace(false)), CONNECT_TIMEOUT));

    final String path;
    final Function<Vertx, DemoSocketIoServer.Application> application;

    Setup(String path, Function<Vertx, DemoSocketIoServer.Application> application) {
      this.path = path;
      this.application = application;
    }
  }

  private final DemoSocketIoServer server;
  private final Inspected inspected;

  private ConformanceServer(Vertx vertx, Setup setup, int port, Duration pingInterval, Duration pingTimeout) {
    this.inspected = new Inspected(setup.application.apply(vertx));
    this.server = new DemoSocketIoServer(vertx, port, setup.path, pingInterval, pingTimeout, () -> inspected);
  }

  static ConformanceServer start(Vertx vertx, Setup setup, int port) throws Exception {
    return start(vertx, setup, port, PING_INTERVAL, PING_TIMEOUT);
  }

  /** The setup with another heartbeat (see {@link Heartbeat}). */
  static ConformanceServer start(Vertx vertx, Setup setup, int port, Duration pingInterval, Duration pingTimeout)
      throws Exception {
    ConformanceServer server = new ConformanceServer(vertx, setup, port, pingInterval, pingTimeout);
    server.server.start().await(10, TimeUnit.SECONDS);
    return server;
  }

  int port() {
    return server.port();
  }

  int sessionCount() {
    return server.sessionCount();
  }

  /** Whether the server holds a long-poll GET of session {@code sid} now. */
  boolean holdsPoll(String sid) throws Exception {
    return inspect(sid, s -> s.transport() instanceof PollingTransport p && p.writable());
  }

  /** Whether session {@code sid} has completed the upgrade to WebSocket. */
  boolean upgraded(String sid) throws Exception {
    return inspect(sid, s -> s.transport() instanceof WebSocketTransport);
  }

  private boolean inspect(String sid, Function<EngineSession, Boolean> question) throws Exception {
    Context context = inspected.context;
    if (context == null) {
      return false;
    }
    Promise<Boolean> answer = Promise.promise();
    context.runOnContext(v -> {
      EngineSession session = inspected.sessions.get(sid);
      answer.complete(session != null && !session.closed() && question.apply(session));
    });
    return answer.future().await(5, TimeUnit.SECONDS);
  }

  void stop() throws Exception {
    server.stop().await(10, TimeUnit.SECONDS);
  }

  public static void main(String[] args) throws Exception {
    Setup setup = switch (args.length > 0 ? args[0] : "") {
      case "engine.io" -> Setup.ENGINE_IO;
      case "socket.io" -> Setup.SOCKET_IO;
      default -> throw new IllegalArgumentException("usage: ConformanceServer engine.io|socket.io [port]");
    };
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    start(Vertx.vertx(), setup, port);
    System.out.println("conformance setup " + args[0] + " listening on 127.0.0.1:" + port + setup.path);
  }

  /** engine.io's reference server: {@code socket.on("data", data => socket.send(data))}. */
  private static final class Echo implements DemoSocketIoServer.Application {
    @Override
    public void onOpen(EngineSession session) {}

    @Override
    public void onMessage(EngineSession session, EnginePacket message) {
      session.send(message);
    }

    @Override
    public void onClose(EngineSession session, String reason) {}
  }

  /** socket.io's reference handlers: every namespace emits auth, the main one also answers events. */
  private record ReferenceNamespace(boolean answersEvents) implements SocketIoLayer.Namespace {
    @Override
    public void onConnect(SocketIoLayer.Socket socket, JsonObject auth) {
      socket.emit(new JsonArray().add("auth").add(auth), List.of());
    }

    @Override
    public void onEvent(SocketIoLayer.Socket socket, SocketIoLayer.Event event) {
      if (!answersEvents) {
        return;
      }
      switch (event.name()) {
        case "message" -> socket.emit(new JsonArray().add("message-back").addAll(event.data()), event.attachments());
        case "message-with-ack" -> {
          if (event.ackId() >= 0) {
            socket.ack(event.ackId(), event.data(), event.attachments());
          }
        }
        default -> { }
      }
    }
  }

  /** Passes everything to the setup's application and keeps the sessions for {@link #inspect}. */
  private static final class Inspected implements DemoSocketIoServer.Application {
    private final DemoSocketIoServer.Application delegate;
    private final Map<String, EngineSession> sessions = new HashMap<>();
    /** The server's context, known from the first session on. */
    private volatile Context context;

    Inspected(DemoSocketIoServer.Application delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onOpen(EngineSession session) {
      context = Vertx.currentContext();
      sessions.put(session.id(), session);
      delegate.onOpen(session);
    }

    @Override
    public void onMessage(EngineSession session, EnginePacket message) {
      delegate.onMessage(session, message);
    }

    @Override
    public void onClose(EngineSession session, String reason) {
      sessions.remove(session.id());
      delegate.onClose(session, reason);
    }
  }
}
