package io.socketiocanary.testsupport;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A real Socket.IO server ({@code testservers/sio-server.js} for v4, {@code sio2-server.js} for
 * v2) in a Node process on 127.0.0.1, and its control API (v4 only). Owns that one process; a
 * restart replaces it with a new one on the same port. Not thread-safe: one test drives it.
 */
public final class NodeSocketIoServer implements AutoCloseable {

  /**
   * What {@code GET /stats} reports: Engine.IO clients and connected sockets per namespace, and the
   * handshakes {@link Builder#handshakeDelay} is holding now.
   */
  public record Stats(int clients, Map<String, Integer> sockets, String id, long seq, int handshakesHeld) {}

  private static final Pattern LISTENING = Pattern.compile("^listening (\\d+)$");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      // HTTP/2 would send "Upgrade: h2c", which engine.io refuses with "Invalid Upgrade header".
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  private final Builder config;
  private final int port;
  private final int controlPort;
  private ManagedProcess process;

  private NodeSocketIoServer(Builder config) {
    this.config = config;
    this.port = config.port != 0 ? config.port : FreePorts.pick();
    this.controlPort = config.version == 4 ? FreePorts.pick() : 0;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the process and returns once it printed {@code listening <port>}. */
  public NodeSocketIoServer start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(this + " is already running");
    }
    Path node = Tools.require("node");
    Path dir = Tools.testServersDir();
    process = ManagedProcess.start(logName(), command(node), Map.of(), dir);
    process.awaitLine(LISTENING, START_TIMEOUT);
    return this;
  }

  /** SIGTERM and wait; returns the exit code (0 when the server closed cleanly). */
  public int stop() {
    return process == null ? 0 : process.stop(Duration.ofSeconds(5));
  }

  /** Stops, stays down for {@code downtime}, starts on the same port; returns when listening. */
  public NodeSocketIoServer restart(Duration downtime) {
    stop();
    ManagedProcess.sleep(downtime);
    return start();
  }

  @Override
  public void close() {
    stop();
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public String id() {
    return config.id;
  }

  /** The current Node process, for its pid and for assertions on its log lines. */
  public ManagedProcess process() {
    return process;
  }

  /** Server-side {@code socket.disconnect(true)} of every socket: clients see "io server disconnect". */
  public JsonObject disconnectAll() {
    return control("POST", "/disconnect-all");
  }

  /** Graceful Engine.IO close of every session: a WebSocket close frame, no DISCONNECT packet. */
  public JsonObject closeEngines() {
    return control("POST", "/close-engines");
  }

  /** Destroys every TCP connection of the Socket.IO listener, without a close handshake. */
  public JsonObject closeAllTcp() {
    return control("POST", "/close-all-tcp");
  }

  /** Blocks the server's event loop for {@code duration}; returns as soon as the freeze began. */
  public JsonObject freeze(Duration duration) {
    return control("POST", "/freeze?ms=" + duration.toMillis());
  }

  /** No Engine.IO pings for {@code duration} (acks keep working): clients time out on pings. */
  public JsonObject stopPings(Duration duration) {
    return control("POST", "/stop-pings?ms=" + duration.toMillis());
  }

  /** Broadcasts the numbered event once with the next number of this server's own sequence. */
  public long broadcast() {
    return control("POST", "/broadcast").getJsonArray("seq").getLong(0);
  }

  /** Broadcasts the numbered event {@code count} times with {@code seq}, {@code seq + 1}, …. */
  public void broadcast(long seq, int count) {
    control("POST", "/broadcast?seq=" + seq + "&count=" + count);
  }

  public Stats stats() {
    JsonObject json = control("GET", "/stats");
    Map<String, Integer> sockets = new LinkedHashMap<>();
    json.getJsonObject("sockets").forEach(e -> sockets.put(e.getKey(), ((Number) e.getValue()).intValue()));
    return new Stats(json.getInteger("clients"), Map.copyOf(sockets), json.getString("id"), json.getLong("seq", 0L),
        json.getInteger("handshakesHeld", 0));
  }

  @Override
  public String toString() {
    return "socket.io v" + config.version + " server " + config.id + " at " + url();
  }

  private JsonObject control(String method, String pathAndQuery) {
    if (controlPort == 0) {
      throw new UnsupportedOperationException("the v" + config.version + " test server has no control API");
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + pathAndQuery))
        .timeout(Duration.ofSeconds(5))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError(method + " " + pathAndQuery + " on " + this + " returned "
            + response.statusCode() + ": " + response.body());
      }
      return new JsonObject(response.body());
    } catch (IOException e) {
      throw new AssertionError(method + " " + pathAndQuery + " on " + this + " failed: " + e
          + (process == null ? "" : process.describeTail()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private String logName() {
    return "sio" + config.version + "-" + config.id + "-" + port;
  }

  private List<String> command(Path node) {
    List<String> cmd = new ArrayList<>(List.of(node.toString(), config.version == 4 ? "sio-server.js" : "sio2-server.js",
        "--port", Integer.toString(port), "--id", config.id));
    cmd.addAll(List.of("--ping-interval", Long.toString(config.pingInterval.toMillis())));
    cmd.addAll(List.of("--ping-timeout", Long.toString(config.pingTimeout.toMillis())));
    for (String namespace : config.namespaces) {
      cmd.addAll(List.of("--namespace", namespace));
    }
    if (config.version == 4) {
      cmd.addAll(List.of("--control-port", Integer.toString(controlPort)));
      cmd.addAll(List.of("--transports", String.join(",", config.transports)));
      if (config.token != null) {
        cmd.addAll(List.of("--token", config.token));
      }
      if (config.corsOrigin != null) {
        cmd.addAll(List.of("--cors-origin", config.corsOrigin));
      }
      if (!config.handshakeDelay.isZero()) {
        cmd.addAll(List.of("--handshake-delay-ms", Long.toString(config.handshakeDelay.toMillis())));
      }
      if (config.echoTokenInError) {
        cmd.addAll(List.of("--echo-token-in-error", "true"));
      }
      if (config.maxDisconnection != null) {
        cmd.addAll(List.of("--recovery", "true",
            "--max-disconnection-ms", Long.toString(config.maxDisconnection.toMillis()),
            "--skip-middlewares", Boolean.toString(config.skipMiddlewares)));
      }
      if (config.broadcastEvent != null) {
        cmd.addAll(List.of("--broadcast-event", config.broadcastEvent,
            "--broadcast-interval-ms", Long.toString(config.broadcastInterval.toMillis()),
            "--seq-field", config.sequenceField));
      }
    }
    return cmd;
  }

  /** Settings for a server; defaults are the Socket.IO v4 defaults, namespace "/" and both transports. */
  public static final class Builder {
    private int port;
    private int version = 4;
    private Duration pingInterval = Duration.ofSeconds(25);
    private Duration pingTimeout = Duration.ofSeconds(20);
    private final List<String> namespaces = new ArrayList<>();
    private String token;
    private String corsOrigin;
    private boolean echoTokenInError;
    private List<String> transports = List.of("polling", "websocket");
    private Duration handshakeDelay = Duration.ZERO;
    private String id = "sio";
    private Duration maxDisconnection;
    private boolean skipMiddlewares = true;
    private String broadcastEvent;
    private Duration broadcastInterval = Duration.ZERO;
    private String sequenceField = "seq";

    private Builder() {}

    /**
     * Turns on connection state recovery ({@code connectionStateRecovery}) with this
     * {@code maxDisconnectionDuration} and {@code skipMiddlewares}; off unless called.
     */
    public Builder recovery(Duration maxDisconnection, boolean skipMiddlewares) {
      this.maxDisconnection = maxDisconnection;
      this.skipMiddlewares = skipMiddlewares;
      return this;
    }

    /**
     * A numbered broadcast: {@code event} with {@code {seq, server}} to every socket, every
     * {@code interval} ({@link Duration#ZERO}: only when {@link NodeSocketIoServer#broadcast} asks).
     */
    public Builder broadcast(String event, Duration interval) {
      this.broadcastEvent = event;
      this.broadcastInterval = interval;
      return this;
    }

    /** The payload field carrying the number; "seq" by default. */
    public Builder sequenceField(String field) {
      this.sequenceField = field;
      return this;
    }

    /** A fixed port; by default one is picked. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** 4 (socket.io 4.8) or 2 (socket.io 2.5.1: no control API, token, CORS or transports). */
    public Builder version(int version) {
      if (version != 4 && version != 2) {
        throw new IllegalArgumentException("version must be 4 or 2, not " + version);
      }
      this.version = version;
      return this;
    }

    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = pingInterval;
      return this;
    }

    public Builder pingTimeout(Duration pingTimeout) {
      this.pingTimeout = pingTimeout;
      return this;
    }

    /** Adds a namespace; without any, only "/" exists. */
    public Builder namespace(String namespace) {
      this.namespaces.add(namespace);
      return this;
    }

    /** Handshakes without {@code auth.token} equal to this are refused with "token expired". */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** The one allowed Origin; a request with another Origin header gets 403. */
    public Builder corsOrigin(String corsOrigin) {
      this.corsOrigin = corsOrigin;
      return this;
    }

    /**
     * Answers every new session's handshake (polling's first GET, a WebSocket's upgrade) this late,
     * as a slow auth check would; {@link Stats#handshakesHeld} counts those held.
     */
    public Builder handshakeDelay(Duration handshakeDelay) {
      this.handshakeDelay = handshakeDelay;
      return this;
    }

    /** Rejects every handshake with an error repeating the token and Authorization header it got. */
    public Builder echoTokenInError() {
      this.echoTokenInError = true;
      return this;
    }

    /** Server-side allowed transports, for example "websocket" only. */
    public Builder transports(String... transports) {
      this.transports = List.of(transports);
      return this;
    }

    /** Names the server in its log lines, acks and stats (tell two backends apart). */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public NodeSocketIoServer build() {
      return new NodeSocketIoServer(this);
    }

    /** {@link #build()} and {@link NodeSocketIoServer#start()}. */
    public NodeSocketIoServer start() {
      return build().start();
    }
  }
}
