package io.socketiocanary.canary;

import io.socketiocanary.client.CanaryConnection;
import io.socketiocanary.client.ConnectFailure;
import io.socketiocanary.client.ConnectionListener;
import io.socketiocanary.config.ProbeSettings;
import io.socketiocanary.failure.ConnectErrorReason;
import io.socketiocanary.failure.DisconnectReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One canary: a Socket.IO client kept connected on purpose and measured.
 *
 * <p>Measurements use {@link System#nanoTime()} read on the client's EventThread when the event
 * was delivered: reconnect duration is disconnect observed → namespace connected again (across
 * any number of failed attempts, whoever made them), lifetime is connected → disconnected, and
 * handshake duration is attempt start → connected.
 *
 * <p>The canary never gives up: where the Java client stops retrying (after {@code io server
 * disconnect}, a middleware rejection, {@code reconnect_failed}, a probe timeout or a stuck
 * handshake) it throws the connection away and opens a fresh one after its own jittered backoff.
 *
 * <p>A reconnect drill ({@link Drill}) cuts the connection on purpose; the outage it causes is
 * measured in the drill metrics only, never in the organic reconnect and lifetime figures.
 *
 * <p>Thread confinement: every field is owned by the fleet's Vert.x context. Client events are
 * handed over with {@code runOnContext}, tagged with the connection generation they came from, so
 * a late event of a replaced connection is ignored. Only {@link #status()} is read elsewhere.
 */
final class Canary {
  /** Grace on top of connect-timeout before the canary declares a handshake stuck. */
  static final Duration WATCHDOG_GRACE = Duration.ofSeconds(2);
  /** Time a discarded connection's goodbye gets before its remaining HTTP calls are cancelled. */
  static final Duration CALL_GRACE = Duration.ofSeconds(2);

  private final FleetResources fleet;
  private final int index;
  private final Backoff retryBackoff;
  private final ProbeSettings probe;

  private CanaryConnection connection;
  private int generation;
  private CanaryState state = CanaryState.CONNECTING;
  private long attemptStartNanos;
  private long connectedAtNanos;
  /** When the current outage began; -1 while connected or before the first connect. */
  private long outageStartNanos = -1;
  private long probeSentNanos;
  private long probeSequence;
  /**
   * How far back an agent stall can explain a dead connection: a missed pong lets the server
   * wait pingInterval + pingTimeout; until the first handshake says, connect-timeout.
   */
  private Duration heartbeatWindow;
  /**
   * How long before its current connection started this canary had been cut (organically or by
   * a drill), for the idle-timeout detector to tell a fixed age from a fixed period; NaN after a
   * first connect or a recycle, where no cut came before.
   */
  private double outageBeforeSeconds = Double.NaN;
  /** When the last cut was noticed, organic or drill; meaningful while {@link #cutSinceConnect}. */
  private long lastCutNanos;
  private boolean cutSinceConnect;
  private long idleTimer = -1;
  private long probeTimer = -1;
  private long retryTimer = -1;
  private long watchdogTimer = -1;
  private final Drill drill;
  /** A rollout recycle closed the connection: the next connect is not an organic reconnect. */
  private boolean recycling;
  private String transport;
  private Instant connectedSince;
  private DisconnectReason lastDisconnect;
  private Instant lastDisconnectAt;
  private ConnectErrorReason lastError;
  private String lastErrorDetail;
  private Instant lastErrorAt;
  private volatile CanaryStatus status;

  Canary(FleetResources fleet, int index) {
    this.fleet = fleet;
    this.index = index;
    this.retryBackoff = new Backoff(fleet.target().reconnection());
    this.probe = fleet.target().probe();
    this.drill = new Drill(fleet);
    this.heartbeatWindow = fleet.target().connectTimeout();
    this.status = CanaryStatus.initial(index);
  }

  CanaryStatus status() {
    return status;
  }

  void start() {
    openConnection(System.nanoTime());
  }

  /** Disconnects cleanly; counted as {@code client_disconnect} when it was connected. */
  void stop() {
    if (state == CanaryState.CONNECTED) {
      recordDisconnect(System.nanoTime(), DisconnectReason.CLIENT_DISCONNECT);
    }
    state = CanaryState.STOPPED;
    cancelTimers();
    drill.cancelTimer();
    discardConnection();
    publish();
  }

  private void openConnection(long nowNanos) {
    int gen = ++generation;
    connection = new CanaryConnection(fleet.target(), fleet.mode(), fleet.http(), fleet.tokens(), new Events(gen));
    state = outageStartNanos >= 0 || state == CanaryState.WAITING_RETRY ? CanaryState.RECONNECTING : CanaryState.CONNECTING;
    attemptStarted(nowNanos);
    connection.open();
    publish();
  }

  private void attemptStarted(long nanos) {
    attemptStartNanos = nanos;
    cancel(watchdogTimer);
    long watchdogMillis = fleet.target().connectTimeout().plus(WATCHDOG_GRACE).toMillis();
    int gen = generation;
    watchdogTimer = fleet.vertx().setTimer(watchdogMillis, id -> {
      if (gen == generation && state != CanaryState.CONNECTED && state != CanaryState.STOPPED) {
        watchdogTimer = -1;
        countConnectError(chargeTimeout(ConnectErrorReason.TIMEOUT),
            "no connect within connect-timeout; the client did not report why");
        retryOnOwn("stuck handshake");
      }
    });
  }

  private void onConnect(long nanos, String transportName) {
    cancel(watchdogTimer);
    watchdogTimer = -1;
    retryBackoff.reset();
    state = CanaryState.CONNECTED;
    transport = transportName;
    fleet.metrics().transportChanged(null, transport);
    connectedAtNanos = nanos;
    connectedSince = Instant.now();
    Duration handshake = Duration.ofNanos(nanos - attemptStartNanos);
    outageBeforeSeconds = cutSinceConnect ? (nanos - lastCutNanos) / 1e9 : Double.NaN;
    cutSinceConnect = false;
    if (drill.active()) {
      drill.recovered(nanos, handshake);
      outageStartNanos = -1;
      scheduleProbe();
      publish();
      return;
    }
    if (recycling) {
      recycling = false;
      // Not after an organic cut: nothing for the idle-timeout detector to weigh.
      outageBeforeSeconds = Double.NaN;
      fleet.metrics().recycleReconnected();
      scheduleProbe();
      publish();
      return;
    }
    fleet.metrics().connected(handshake);
    Optional<Double> outage = Optional.empty();
    if (outageStartNanos >= 0) {
      Duration d = Duration.ofNanos(nanos - outageStartNanos);
      if (fleet.agentStalls().stalledDuring(outageStartNanos, nanos)) {
        // The agent stood still during the outage: its length may be the agent's, not the target's.
        fleet.metrics().reconnectExcluded();
      } else {
        fleet.metrics().reconnected(d);
      }
      outage = Optional.of(d.toNanos() / 1e9);
      outageStartNanos = -1;
    }
    fleet.failureLog().reconnected(index, outage);
    if (outage.isPresent()) {
      fleet.history().reconnected(connectedSince, index, Duration.ofNanos(Math.round(outage.get() * 1e9)));
    }
    scheduleProbe();
    publish();
  }

  private void onDisconnect(long nanos, String clientReason) {
    if (state != CanaryState.CONNECTED) {
      return;
    }
    DisconnectReason reason = chargeDisconnect(DisconnectReason.fromClientReason(clientReason),
        nanos - heartbeatWindow.toNanos(), nanos);
    recordDisconnect(nanos, reason);
    if (reason == DisconnectReason.SERVER_DISCONNECT) {
      retryOnOwn("io server disconnect");
    } else {
      // The client reconnects by itself after transport close/error and ping timeout.
      state = CanaryState.RECONNECTING;
    }
    publish();
  }

  private void recordDisconnect(long nanos, DisconnectReason reason) {
    cancel(idleTimer);
    cancel(probeTimer);
    idleTimer = probeTimer = -1;
    lastCutNanos = nanos;
    cutSinceConnect = true;
    if (drill.pending()) {
      // The drill's own cut, now noticed: the network comes back, and only the drill metrics tell.
      connection.restoreTransport();
      drill.cutNoticed();
      leaveConnected();
      return;
    }
    Duration lifetime = Duration.ofNanos(nanos - connectedAtNanos);
    fleet.metrics().disconnected(reason, lifetime);
    fleet.failureLog().disconnected(index, reason, lifetime.toNanos() / 1e9);
    outageStartNanos = nanos;
    lastDisconnect = reason;
    lastDisconnectAt = Instant.now();
    fleet.history().disconnected(lastDisconnectAt, index, reason.label(), lifetime);
    fleet.idleTimeoutWatch().disconnected(index, reason, lifetime.toNanos() / 1e9, outageBeforeSeconds);
    leaveConnected();
  }

  /** No longer connected: off the transport gauge, until the next connect. */
  private void leaveConnected() {
    fleet.metrics().transportChanged(transport, null);
    transport = null;
    connectedSince = null;
    state = CanaryState.RECONNECTING;
  }

  private void onConnectError(ConnectFailure failure) {
    cancel(watchdogTimer);
    watchdogTimer = -1;
    ConnectErrorReason reason = chargeTimeout(fleet.classifier().classify(failure));
    countConnectError(reason, describe(failure));
    if (!failure.clientRetries()) {
      retryOnOwn("the client gave up on this socket (" + reason.label() + ")");
    }
    publish();
  }

  private void countConnectError(ConnectErrorReason reason, String detail) {
    fleet.metrics().connectError(reason);
    lastError = reason;
    lastErrorDetail = fleet.failureLog().redact(detail);
    lastErrorAt = Instant.now();
    fleet.failureLog().connectError(index, reason, detail);
    fleet.history().connectError(lastErrorAt, index, reason.label());
  }

  private void onReconnectAttempt(long nanos) {
    fleet.metrics().reconnectAttempt();
    attemptStarted(nanos);
  }

  private void onReconnectFailed() {
    fleet.metrics().reconnectFailed();
    retryOnOwn("reconnect_failed");
  }

  /**
   * A timeout of an attempt during which the agent itself stalled is not the target's: the
   * answer may have been waiting in the agent's own queue.
   */
  private ConnectErrorReason chargeTimeout(ConnectErrorReason reason) {
    if (reason == ConnectErrorReason.TIMEOUT && fleet.agentStalls().stalledDuring(attemptStartNanos, System.nanoTime())) {
      return ConnectErrorReason.AGENT_STALLED;
    }
    return reason;
  }

  /**
   * A connection that went silent or was cut while the agent stalled in [{@code fromNanos},
   * {@code toNanos}] may have died of the stall (pings or pongs stuck in the agent), so it is not
   * charged to the target. The server's and the agent's own clean goodbyes are.
   */
  private DisconnectReason chargeDisconnect(DisconnectReason reason, long fromNanos, long toNanos) {
    boolean stallCouldCauseIt = switch (reason) {
      case PING_TIMEOUT, PROBE_TIMEOUT, TRANSPORT_CLOSE, TRANSPORT_ERROR -> true;
      case SERVER_DISCONNECT, CLIENT_DISCONNECT, AGENT_STALLED -> false;
    };
    return stallCouldCauseIt && fleet.agentStalls().stalledDuring(fromNanos, toNanos)
        ? DisconnectReason.AGENT_STALLED : reason;
  }

  /** Throws the connection away and opens a fresh one after the canary's own backoff. */
  private void retryOnOwn(String why) {
    if (state == CanaryState.STOPPED) {
      return;
    }
    discardConnection();
    cancelTimers();
    state = CanaryState.WAITING_RETRY;
    long delay = retryBackoff.nextDelayMillis();
    fleet.failureLog().retrying(index, why, delay);
    retryTimer = fleet.vertx().setTimer(delay, id -> {
      retryTimer = -1;
      if (state == CanaryState.WAITING_RETRY) {
        fleet.metrics().reconnectAttempt();
        openConnection(System.nanoTime());
      }
    });
    publish();
  }

  /** Whether this canary can be drilled now. */
  boolean connected() {
    return state == CanaryState.CONNECTED && !drill.pending();
  }

  boolean drilling() {
    return drill.active();
  }

  /**
   * Cuts this canary's TCP connection abruptly; its normal reconnection brings it back. Not
   * recovered within {@code timeout}: the drill failed and the canary is reset.
   */
  void drill(Duration timeout) {
    if (!connected()) {
      return;
    }
    drill.start(timeout, () -> drillExpired(timeout));
    connection.cutTransport();
  }

  /**
   * Closes the connection on purpose and opens a fresh one at once, so it goes through whatever
   * changed on the path (a reloaded proxy keeps old connections on its old workers). Counted as a
   * recycle, never as a disconnect, lifetime, reconnect or connect; connect errors of the new
   * connection are real and counted as usual.
   */
  void recycle() {
    if (!connected()) {
      return;
    }
    cancel(idleTimer);
    cancel(probeTimer);
    idleTimer = probeTimer = -1;
    fleet.metrics().recycled();
    leaveConnected();
    recycling = true;
    discardConnection();
    openConnection(System.nanoTime());
  }

  private void drillExpired(Duration timeout) {
    if (state == CanaryState.CONNECTED) {
      // The cut was never noticed: take the canary out of the connected count ourselves.
      drill.cutNoticed();
      leaveConnected();
    }
    drill.failed();
    retryOnOwn("drill did not recover within " + timeout.toMillis() + " ms");
  }

  private void scheduleProbe() {
    if (!probe.enabled()) {
      return;
    }
    idleTimer = fleet.vertx().setTimer(fleet.target().idle().toMillis(), id -> {
      idleTimer = -1;
      sendProbe();
    });
  }

  private void sendProbe() {
    if (state != CanaryState.CONNECTED) {
      return;
    }
    long sequence = ++probeSequence;
    int gen = generation;
    probeSentNanos = System.nanoTime();
    connection.emitProbe(probe.event(), sequence, ackNanos ->
        fleet.context().runOnContext(v -> onProbeAck(gen, sequence, ackNanos)));
    probeTimer = fleet.vertx().setTimer(probe.timeout().toMillis(), id -> {
      probeTimer = -1;
      if (gen == generation && sequence == probeSequence && state == CanaryState.CONNECTED) {
        long now = System.nanoTime();
        DisconnectReason reason = chargeDisconnect(DisconnectReason.PROBE_TIMEOUT, probeSentNanos, now);
        if (reason == DisconnectReason.PROBE_TIMEOUT) {
          fleet.metrics().probeFailed();
        }
        // A connection that cannot carry a message is down, whatever the client thinks.
        recordDisconnect(now, reason);
        retryOnOwn("probe timeout");
      }
    });
  }

  private void onProbeAck(int gen, long sequence, long ackNanos) {
    if (gen != generation || sequence != probeSequence || state != CanaryState.CONNECTED || probeTimer < 0) {
      return;
    }
    cancel(probeTimer);
    probeTimer = -1;
    if (!fleet.agentStalls().stalledDuring(probeSentNanos, ackNanos)) {
      // A round trip the agent's own stall stretched says nothing about the target.
      fleet.metrics().probeAcked(Duration.ofNanos(ackNanos - probeSentNanos));
    }
    scheduleProbe();
  }

  private void discardConnection() {
    if (connection != null) {
      CanaryConnection closing = connection;
      closing.close();
      // The goodbye leaves within milliseconds on a healthy path; whatever is still in flight
      // after the grace (a long-poll or handshake to a server that never finishes) is cancelled.
      fleet.vertx().setTimer(CALL_GRACE.toMillis(), id -> closing.cancelCalls());
      connection = null;
      generation++;
    }
  }

  private void cancelTimers() {
    cancel(idleTimer);
    cancel(probeTimer);
    cancel(retryTimer);
    cancel(watchdogTimer);
    idleTimer = probeTimer = retryTimer = watchdogTimer = -1;
  }

  private void cancel(long timer) {
    if (timer >= 0) {
      fleet.vertx().cancelTimer(timer);
    }
  }

  private static String describe(ConnectFailure failure) {
    StringBuilder text = new StringBuilder(failure.message() == null ? "" : failure.message());
    if (failure.http() != null) {
      text.append(" (HTTP ").append(failure.http().status());
      failure.http().engineIoCode().ifPresent(c -> text.append(", Engine.IO code ").append(c));
      if (!failure.http().message().isEmpty()) {
        text.append(": ").append(failure.http().message());
      }
      text.append(')');
    } else if (failure.cause() != null && failure.cause().getCause() != null) {
      Throwable root = failure.cause();
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      text.append(" (").append(root.getClass().getSimpleName());
      if (root.getMessage() != null) {
        text.append(": ").append(root.getMessage());
      }
      text.append(')');
    }
    return text.length() > 300 ? text.substring(0, 300) + "…" : text.toString();
  }

  private void publish() {
    status = new CanaryStatus(index, state, transport, connectedSince,
        lastDisconnect == null ? null : lastDisconnect.label(), lastDisconnectAt,
        lastError == null ? null : lastError.label(), lastErrorDetail, lastErrorAt);
  }

  private void onHandshake(long pingIntervalMillis, long pingTimeoutMillis) {
    heartbeatWindow = Duration.ofMillis(pingIntervalMillis + pingTimeoutMillis);
    fleet.metrics().serverTimings(Duration.ofMillis(pingIntervalMillis), Duration.ofMillis(pingTimeoutMillis));
    fleet.idleTimeoutWatch().serverTimings(pingIntervalMillis / 1000.0, pingTimeoutMillis / 1000.0);
  }

  private void onTransport(String name) {
    if (state == CanaryState.CONNECTED && !name.equals(transport)) {
      fleet.metrics().transportChanged(transport, name);
      transport = name;
      publish();
    }
  }

  private void onUpgrade(boolean success) {
    fleet.metrics().upgrade(success);
  }

  /**
   * The client's events for one connection generation, moved from the EventThread onto the
   * fleet's context. Events of a connection the canary has since replaced are dropped there.
   */
  private final class Events implements ConnectionListener {
    private final int gen;

    Events(int gen) {
      this.gen = gen;
    }

    private void onContext(Runnable handler) {
      fleet.context().runOnContext(v -> {
        if (gen == generation && state != CanaryState.STOPPED) {
          handler.run();
        }
      });
    }

    @Override
    public void onConnect(long nanoTime, String transport) {
      onContext(() -> Canary.this.onConnect(nanoTime, transport));
    }

    @Override
    public void onDisconnect(long nanoTime, String reason) {
      onContext(() -> Canary.this.onDisconnect(nanoTime, reason));
    }

    @Override
    public void onConnectError(long nanoTime, ConnectFailure failure) {
      onContext(() -> Canary.this.onConnectError(failure));
    }

    @Override
    public void onReconnectAttempt(long nanoTime, int attempt) {
      onContext(() -> Canary.this.onReconnectAttempt(nanoTime));
    }

    @Override
    public void onReconnectFailed(long nanoTime) {
      onContext(Canary.this::onReconnectFailed);
    }

    @Override
    public void onHandshake(long nanoTime, long pingIntervalMillis, long pingTimeoutMillis) {
      onContext(() -> Canary.this.onHandshake(pingIntervalMillis, pingTimeoutMillis));
    }

    @Override
    public void onTransport(long nanoTime, String transport) {
      onContext(() -> Canary.this.onTransport(transport));
    }

    @Override
    public void onUpgrade(long nanoTime, boolean success) {
      onContext(() -> Canary.this.onUpgrade(success));
    }
  }
}
