package io.socketiocanary.client;

import io.socket.backo.Backoff;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.emitter.Emitter;
import io.socket.engineio.client.HandshakeData;
import io.socket.engineio.client.Transport;
import io.socketiocanary.client.compat.CompactEmitterMaps;
import io.socketiocanary.client.compat.ConnectTimeout;
import io.socketiocanary.client.compat.LibraryTexts;
import io.socketiocanary.client.compat.ManagerEngine;
import io.socketiocanary.client.compat.SharedHeartbeatScheduler;
import io.socketiocanary.client.recovery.RecoveryOutcome;
import io.socketiocanary.client.recovery.SessionRecovery;
import io.socketiocanary.config.ReconnectionSettings;
import io.socketiocanary.config.TargetConfig;
import io.socketiocanary.config.TransportMode;
import java.io.IOException;
import java.net.UnknownHostException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.json.JSONObject;

/**
 * One Socket.IO connection of one canary: a dedicated {@link Manager} (never the client's static
 * cache, which would keep every Manager forever) and its namespace {@link Socket}, configured
 * like a real application's client for the fleet's transport mode, reconnecting as the client's
 * own reconnection does ({@link Reconnection}, on the agent's timers instead of a thread per
 * attempt). Events reach a {@link ConnectionListener} on the client's EventThread.
 *
 * <p>Thread-safety: {@link #open()}, {@link #close()} and {@link #emitProbe} may be called from
 * any thread; the client runs them on its EventThread. After {@link #close()} no further event is
 * delivered, so the owner decides alone how a close it asked for is counted.
 */
public final class CanaryConnection {
  private final TransportMode mode;
  private final TokenSource tokens;
  private final ConnectionListener listener;
  private final ObservedHttp http;
  private final String host;
  private final Map<String, String> auth = new ConcurrentHashMap<>();
  private final Manager manager;
  private final Socket socket;
  private final SessionRecovery recovery;
  private final Reconnection reconnection;
  private volatile boolean closed;
  /** Written and read on the EventThread only. */
  private io.socket.engineio.client.Socket observedEngine;
  private String engineTransport;

  public CanaryConnection(TargetConfig target, TransportMode mode, TargetClients clients,
      TokenSource tokens, ConnectionListener listener) {
    this.mode = mode;
    this.tokens = tokens;
    this.listener = listener;
    this.http = new ObservedHttp(clients, target.origin());
    this.host = target.url().getHost();
    refreshToken();
    this.manager = new Manager(baseUri(target.url()), options(target));
    this.socket = manager.socket(target.namespace(), options(target));
    // Neither is shared yet: no other thread subscribes while their listener maps are replaced.
    CompactEmitterMaps.install(manager);
    CompactEmitterMaps.install(socket);
    // Before the Socket subscribes to the Manager (at its first connect), so it sees packets first.
    this.recovery = new SessionRecovery(target.namespace(), target.recovery(), auth, target.subscribe().event(),
        (args, replayed) -> {
          if (!closed) {
            listener.onSubscribedEvent(System.nanoTime(), args, replayed);
          }
        });
    recovery.install(manager);
    this.reconnection = new Reconnection(manager, socket, backoff(target.reconnection()),
        target.reconnection().attempts().orElse(Integer.MAX_VALUE),
        ConnectTimeout.available() ? target.connectTimeout().toMillis() : 0, clients.timers().next(),
        new Reconnection.Events() {
          @Override
          public void attempt(int number) {
            forward(args -> onReconnectAttempt(number)).call();
          }

          @Override
          public void gaveUp() {
            forward(args -> listener.onReconnectFailed(System.nanoTime())).call();
          }
        });
    subscribe();
  }

  /** Starts connecting; it retries after transport failures as the client's reconnection does. */
  public void open() {
    reconnection.start();
  }

  /**
   * Disconnects cleanly (a DISCONNECT packet when connected) and stops all retries. An attempt in
   * flight is let finish first, so a server that answered its handshake is told the session ends
   * ({@link Reconnection#stop(Runnable)}); no event is delivered meanwhile.
   */
  public void close() {
    closed = true;
    reconnection.stop(socket::disconnect);
  }

  /**
   * Cancels whatever HTTP calls this connection still has: call it a moment after {@link #close()},
   * once the goodbye (a polling POST, a WebSocket close frame) had its chance to leave. A closed
   * engine never cancels its own requests, so a server that never finishes an answer would keep
   * them forever. Closes its idle keep-alive connections too: nothing reuses them after this.
   * Returns how many calls were cancelled.
   */
  public int cancelCalls() {
    return http.release();
  }

  /**
   * Emits {@code event} with an ack. {@code onAck} receives the monotonic time the ack arrived,
   * on the EventThread; an ack that never comes is the caller's timeout to detect.
   */
  public void emitProbe(String event, long sequence, LongConsumer onAck) {
    JSONObject payload = new JSONObject(Map.of("canary", true, "seq", sequence));
    socket.emit(event, new Object[] {payload}, (Ack) args -> onAck.accept(System.nanoTime()));
  }

  /**
   * Cuts this connection's TCP sockets abruptly and fails new ones, as a network loss would, until
   * {@link #restoreTransport()}; the client notices a transport failure and reconnects on its own.
   * Returns how many sockets were cut.
   */
  public int cutTransport() {
    return http.cutConnections();
  }

  /** Ends the network loss {@link #cutTransport()} began: new connections succeed again. */
  public void restoreTransport() {
    http.networkUp();
  }

  private IO.Options options(TargetConfig target) {
    IO.Options o = new IO.Options();
    o.forceNew = true;
    o.multiplex = false;
    o.path = target.path();
    o.transports = switch (mode) {
      case WEBSOCKET -> new String[] {"websocket"};
      case POLLING -> new String[] {"polling"};
      case POLLING_UPGRADE -> new String[] {"polling", "websocket"};
    };
    o.upgrade = mode == TransportMode.POLLING_UPGRADE;
    o.rememberUpgrade = false;
    // Reconnection runs the Manager's schedule on the agent's timers; the Manager's own would start
    // a Timer thread per delay, and per attempt for its connect timeout unless that is ours too.
    o.reconnection = false;
    o.timeout = ConnectTimeout.available() ? -1 : target.connectTimeout().toMillis();
    o.auth = auth;
    Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
    target.headers().forEach((name, value) -> headers.put(name, List.of(value)));
    if (!target.origin().isEmpty()) {
      headers.put("Origin", List.of(target.origin()));
    }
    o.extraHeaders = headers;
    o.callFactory = http.callFactory();
    o.webSocketFactory = http.webSocketFactory();
    return o;
  }

  /** The delays the Manager computes: the library's Backoff, configured as its constructor does. */
  private static Backoff backoff(ReconnectionSettings settings) {
    return new Backoff().setMin(settings.delay().toMillis()).setMax(settings.delayMax().toMillis())
        .setJitter(settings.randomization());
  }

  /**
   * The target's URL without path or query, as the Manager wants it: the target's own URI when it is
   * already that, so the fleet's canaries share one instead of holding a copy each.
   */
  private static URI baseUri(URI url) {
    URI base = URI.create(url.getScheme() + "://" + url.getRawAuthority());
    return base.equals(url) ? url : base;
  }

  /** Puts the current token in the auth map the client serializes on every namespace CONNECT. */
  private void refreshToken() {
    try {
      tokens.current().ifPresentOrElse(t -> auth.put("token", t), () -> auth.remove("token"));
    } catch (IOException e) {
      // An unreadable token file is sent as no token: the server's rejection shows it as `auth`.
      auth.remove("token");
    }
  }

  private void subscribe() {
    socket.on(Socket.EVENT_CONNECT, forward(args -> {
      http.clearLastFailure();
      RecoveryOutcome outcome = recovery.takeOutcome();
      if (outcome != null) {
        listener.onRecovery(System.nanoTime(), outcome);
      }
      listener.onConnect(System.nanoTime(), engineTransport == null ? firstTransport() : engineTransport);
    }));
    socket.on(Socket.EVENT_DISCONNECT, forward(args ->
        listener.onDisconnect(System.nanoTime(), args.length > 0 ? String.valueOf(args[0]) : null)));
    socket.on(Socket.EVENT_CONNECT_ERROR, forward(args ->
        listener.onConnectError(System.nanoTime(), failure(args.length > 0 ? args[0] : null))));
    manager.on(Manager.EVENT_TRANSPORT, forward(args -> watchEngine((Transport) args[0])));
  }

  private void onReconnectAttempt(int number) {
    // The previous engine is closed and the next one not yet opened (this comes just before
    // open()): every call still in flight belongs to the dead engine, which never cancels them.
    http.cancelCalls();
    // Each attempt is judged on its own: forget what the previous connection's requests saw.
    http.clearLastFailure();
    refreshToken();
    listener.onReconnectAttempt(System.nanoTime(), number);
  }

  private String firstTransport() {
    return mode == TransportMode.WEBSOCKET ? "websocket" : "polling";
  }

  /**
   * A new engine is created for every connect attempt; its first transport is the one the
   * connection starts on, later ones are upgrade probes, reported through the upgrade events.
   */
  private void watchEngine(Transport transport) {
    // Just created, before the engine subscribes to it; on the EventThread, as every subscription.
    CompactEmitterMaps.install(transport);
    io.socket.engineio.client.Socket engine = ManagerEngine.of(manager);
    if (engine == null || engine == observedEngine) {
      return;
    }
    observedEngine = engine;
    CompactEmitterMaps.install(engine);
    // Before the handshake, which arms the first ping timer: no heartbeat thread of its own.
    SharedHeartbeatScheduler.install(engine);
    engineTransport = transport.name;
    engine.on(io.socket.engineio.client.Socket.EVENT_HANDSHAKE, forward(args -> {
      HandshakeData data = (HandshakeData) args[0];
      listener.onHandshake(System.nanoTime(), data.pingInterval, data.pingTimeout);
      listener.onTransport(System.nanoTime(), engineTransport);
    }));
    if (mode != TransportMode.POLLING_UPGRADE) {
      // No upgrade is offered to the engine (IO.Options.upgrade): no listeners to hold for it.
      return;
    }
    engine.on(io.socket.engineio.client.Socket.EVENT_UPGRADE, forward(args -> {
      engineTransport = ((Transport) args[0]).name;
      listener.onUpgrade(System.nanoTime(), true);
      listener.onTransport(System.nanoTime(), engineTransport);
    }));
    engine.on(io.socket.engineio.client.Socket.EVENT_UPGRADE_ERROR,
        forward(args -> listener.onUpgrade(System.nanoTime(), false)));
  }

  private ConnectFailure failure(Object error) {
    HttpFailure seen = http.takeLastFailure();
    boolean clientRetries = socket.isActive();
    if (error instanceof JSONObject json) {
      return new ConnectFailure(ConnectFailure.Kind.NAMESPACE_REJECTED, json.optString("message", ""),
          null, seen, clientRetries);
    }
    if (LibraryTexts.isConnectTimeout(error)) {
      Throwable e = (Throwable) error;
      if (http.resolving()) {
        // The resolver never answered: a DNS problem, whatever the server would have said.
        UnknownHostException dns = new UnknownHostException(host + ": no DNS answer within connect-timeout");
        dns.initCause(e);
        return new ConnectFailure(ConnectFailure.Kind.TRANSPORT, dns.getMessage(), dns, seen, clientRetries,
            ConnectFailure.Fault.DNS);
      }
      return new ConnectFailure(ConnectFailure.Kind.TIMEOUT, "timeout", e, seen, clientRetries);
    }
    if (LibraryTexts.isV2Server(error)) {
      Throwable e = (Throwable) error;
      return new ConnectFailure(ConnectFailure.Kind.PROTOCOL, e.getMessage(), e, seen, clientRetries);
    }
    if (error instanceof Throwable t) {
      ConnectFailure failure = new ConnectFailure(ConnectFailure.Kind.TRANSPORT, String.valueOf(t.getMessage()), t,
          seen, clientRetries);
      // The server answered, but not in Engine.IO v4 (see ConnectFailure.Fault.NOT_ENGINE_IO).
      return failure.fault() == ConnectFailure.Fault.NOT_ENGINE_IO
          ? new ConnectFailure(ConnectFailure.Kind.PROTOCOL, failure.message(), t, failure.http(), clientRetries,
              failure.fault())
          : failure;
    }
    return new ConnectFailure(ConnectFailure.Kind.TRANSPORT, String.valueOf(error), null, seen, clientRetries);
  }

  /** Drops events after {@link #close()}, and keeps a listener's bug from killing the EventThread. */
  private Emitter.Listener forward(Emitter.Listener body) {
    return args -> {
      if (closed) {
        return;
      }
      try {
        body.call(args);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(CanaryConnection.class)
            .error("canary event handler failed", e);
      }
    };
  }
}
