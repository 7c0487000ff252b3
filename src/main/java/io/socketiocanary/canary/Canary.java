package io.socketiocanary.canary;

import io.socketiocanary.canary.CanaryEvent.AttemptStarted;
import io.socketiocanary.canary.CanaryEvent.ConnectFailed;
import io.socketiocanary.canary.CanaryEvent.Connected;
import io.socketiocanary.canary.CanaryEvent.Disconnected;
import io.socketiocanary.canary.CanaryEvent.DrillCutNoticed;
import io.socketiocanary.canary.CanaryEvent.DrillFailed;
import io.socketiocanary.canary.CanaryEvent.DrillReconnected;
import io.socketiocanary.canary.CanaryEvent.DrillStarted;
import io.socketiocanary.canary.CanaryEvent.ProbeAcked;
import io.socketiocanary.canary.CanaryEvent.ReconnectFailed;
import io.socketiocanary.canary.CanaryEvent.RecycleReconnected;
import io.socketiocanary.canary.CanaryEvent.Recycled;
import io.socketiocanary.canary.CanaryEvent.RetryScheduled;
import io.socketiocanary.canary.CanaryEvent.ServerTimings;
import io.socketiocanary.canary.CanaryEvent.TransportChanged;
import io.socketiocanary.canary.CanaryEvent.UpgradeEnded;
import io.socketiocanary.canary.Phase.Created;
import io.socketiocanary.canary.Phase.Down;
import io.socketiocanary.canary.Phase.DrillOutage;
import io.socketiocanary.canary.Phase.FirstConnect;
import io.socketiocanary.canary.Phase.Organic;
import io.socketiocanary.canary.Phase.Outage;
import io.socketiocanary.canary.Phase.Recycle;
import io.socketiocanary.canary.Phase.Stopped;
import io.socketiocanary.canary.Phase.Up;
import io.socketiocanary.client.ConnectFailure;
import io.socketiocanary.client.ConnectionListener;
import io.socketiocanary.client.recovery.RecoveryOutcome;
import io.socketiocanary.continuity.SequenceContinuity;
import io.socketiocanary.continuity.SequenceField;
import io.socketiocanary.config.ProbeSettings;
import io.socketiocanary.failure.ConnectErrorReason;
import io.socketiocanary.failure.DisconnectReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One canary: a Socket.IO client kept connected on purpose and measured. This class is the
 * canary's state machine: its {@link Phase} changes only in {@link #transition}, which emits one
 * {@link CanaryEvent} to the fleet's observers (metrics, failure log, history, idle-timeout watch)
 * and publishes the status the API shows. The connected and transport gauges are counted from
 * those statuses, so they cannot drift from {@code /api/status}.
 *
 * <p>Measurements use monotonic time read on the client's EventThread when the event was
 * delivered: reconnect duration is disconnect observed → namespace connected again (across any
 * number of failed attempts, whoever made them), lifetime is connected → disconnected, handshake
 * duration is attempt start → connected.
 *
 * <p>The canary never gives up: where the Java client stops retrying (after {@code io server
 * disconnect}, a middleware rejection, {@code reconnect_failed}, a probe timeout or a stuck
 * handshake) it throws the connection away and opens a fresh one after its own jittered backoff.
 *
 * <p>A reconnect drill cuts the connection on purpose; the outage it causes is a {@link
 * DrillOutage}, measured in the drill metrics only, never in the organic figures. A recycle (a
 * rollout) closes the connection on purpose and opens a fresh one at once.
 *
 * <p>Thread confinement: everything is owned by the fleet's context. Client events are handed
 * over with {@link FleetResources#context()}, tagged with the connection generation they came
 * from, so a late event of a replaced connection is ignored. Only {@link #status()} is read
 * elsewhere.
 */
final class Canary {
  /** Grace on top of connect-timeout before the canary declares a handshake stuck. */
  static final Duration WATCHDOG_GRACE = Duration.ofSeconds(2);
  /** Time a discarded connection's goodbye gets before its remaining HTTP calls are cancelled. */
  static final Duration CALL_GRACE = Duration.ofSeconds(2);
  /**
   * How long a new connection counts as a measurement under way ({@link #measuring()}): its
   * handshake was just timed, its upgrade may still run, its session is still young in the heap.
   */
  static final Duration SETTLING = Duration.ofSeconds(5);
  /**
   * How long into an outage it counts as a measurement under way: after a minute, a pause of a
   * few hundred milliseconds lengthens the outage the canary will report by under half a percent.
   */
  static final Duration FRESH_OUTAGE = Duration.ofMinutes(1);

  private static final Outage FIRST_CONNECT = new FirstConnect();
  private static final Outage RECYCLE = new Recycle();
  private static final Phase STOPPED = new Stopped();

  private final FleetResources fleet;
  private final Timers timers;
  private final int index;
  private final Backoff retryBackoff;
  private final ProbeSettings probe;
  private final TimerSlot watchdog;
  private final TimerSlot retry;
  private final TimerSlot idle;
  private final TimerSlot probeTimeout;
  private final TimerSlot drillTimeout;

  private Phase phase = new Created();
  /** The canary's view of the subscribed event's numbers, across all its connections. */
  private final Optional<SequenceContinuity> continuity;
  private Connection connection = Connection.NONE;
  /** Bumped whenever a connection is opened or discarded: events of older ones are stale. */
  private int generation;
  private long probeSequence;
  /**
   * How far back an agent stall can explain a dead connection: a missed pong lets the server
   * wait pingInterval + pingTimeout; until the first handshake says, connect-timeout.
   */
  private Duration heartbeatWindow;
  private DisconnectReason lastDisconnect;
  private Instant lastDisconnectAt;
  private ConnectErrorReason lastError;
  private String lastErrorDetail;
  private Instant lastErrorAt;
  private volatile CanaryStatus status;
  /**
   * Until when (monotonic) the canary has a measurement under way that a pause of the whole agent
   * would distort (see {@link #measuring()}); set at each transition, read from any thread.
   */
  private volatile long measuringUntilNanos = Long.MAX_VALUE;

  Canary(FleetResources fleet, int index) {
    this.fleet = fleet;
    this.timers = fleet.timers();
    this.index = index;
    this.retryBackoff = new Backoff(fleet.target().reconnection());
    this.probe = fleet.target().probe();
    this.heartbeatWindow = fleet.target().connectTimeout();
    this.watchdog = new TimerSlot(timers);
    this.retry = new TimerSlot(timers);
    this.idle = new TimerSlot(timers);
    this.probeTimeout = new TimerSlot(timers);
    this.drillTimeout = new TimerSlot(timers);
    // Half a kilobyte of window per canary: only for targets that subscribe to a numbered event.
    this.continuity = fleet.target().subscribe().enabled() ? Optional.of(new SequenceContinuity()) : Optional.empty();
    this.status = CanaryStatus.initial(index);
  }

  CanaryStatus status() {
    return status;
  }

  /**
   * Whether a pause of the agent now would lengthen something this canary is timing: it is
   * starting, was connected within {@link #SETTLING}, is being drilled, or has been down for less
   * than {@link #FRESH_OUTAGE}. Any thread.
   */
  boolean measuring() {
    return timers.nanoTime() < measuringUntilNanos;
  }

  void start() {
    if (phase instanceof Created) {
      openConnection(FIRST_CONNECT, false, false);
    }
  }

  /** Disconnects cleanly; counted as {@code client_disconnect} when it was connected. */
  void stop() {
    if (phase instanceof Stopped) {
      return;
    }
    if (phase instanceof Up up) {
      leaveUp(up, timers.nanoTime(), DisconnectReason.CLIENT_DISCONNECT);
    }
    cancelConnectionTimers();
    drillTimeout.cancel();
    discardConnection();
    transition(STOPPED, new CanaryEvent.Stopped(index));
  }

  /** Whether this canary can be drilled or recycled now. */
  boolean connected() {
    return phase instanceof Up up && !up.drilled();
  }

  /** A drill is under way: its cut not yet noticed, or its outage not yet over. */
  boolean drilling() {
    return phase instanceof Up up && up.drilled()
        || phase instanceof Down down && down.outage() instanceof DrillOutage;
  }

  /**
   * Cuts this canary's TCP connection abruptly; its normal reconnection brings it back. Not
   * recovered within {@code timeout}: the drill failed and the canary is reset.
   */
  void drill(Duration timeout) {
    if (!(phase instanceof Up up) || up.drilled()) {
      return;
    }
    transition(up.drilledAt(timers.nanoTime()), new DrillStarted(index));
    drillTimeout.start(timeout, () -> drillExpired(timeout));
    connection.cutTransport();
  }

  /**
   * Closes the connection on purpose and opens a fresh one at once, so it goes through whatever
   * changed on the path (a reloaded proxy keeps old connections on its old workers). Counted as a
   * recycle, never as a disconnect, lifetime, reconnect or connect; connect errors of the new
   * connection are real and counted as usual.
   */
  void recycle() {
    if (!(phase instanceof Up up) || up.drilled()) {
      return;
    }
    idle.cancel();
    probeTimeout.cancel();
    transition(new Down(RECYCLE, timers.nanoTime(), false, false), new Recycled(index));
    discardConnection();
    openConnection(RECYCLE, false, false);
  }

  /**
   * How a connect came back for connection state recovery; arrives just before its connect. Not
   * a change of phase: the connect is. Anything but a recovery may restart the event numbering.
   */
  private void onRecovery(RecoveryOutcome outcome) {
    if (outcome.result() != RecoveryOutcome.Result.RECOVERED) {
      continuity.ifPresent(SequenceContinuity::newSession);
    }
    transition(phase, new CanaryEvent.SessionJudged(index, outcome.offered(),
        outcome.result().counted() ? Optional.of(outcome.result().label()) : Optional.empty()));
  }

  /** A message of the subscribed event, live or replayed (then before its connect); in any phase. */
  private void onMessage(long nanos, org.json.JSONArray args, boolean replayed) {
    OptionalLong seq = SequenceField.read(args, fleet.target().subscribe().sequenceField());
    if (seq.isEmpty() || continuity.isEmpty()) {
      return;
    }
    SequenceContinuity.Step step = continuity.get().onEvent(seq.getAsLong(), replayed, nanos);
    transition(phase, new CanaryEvent.MessageReceived(index, step.missed(), step.replayed(), step.silenceSeconds()));
  }

  /** The one place the phase changes: emits {@code event} and publishes the status. */
  private void transition(Phase next, CanaryEvent event) {
    Phase previous = phase;
    phase = next;
    measuringUntilNanos = measuringUntil(previous, next);
    for (CanaryObserver observer : fleet.observers()) {
      event.deliverTo(observer);
    }
    if (next != previous || event instanceof ConnectFailed) {
      publish();
    }
  }

  private long measuringUntil(Phase previous, Phase next) {
    if (next instanceof Up up) {
      return up.drilled() ? Long.MAX_VALUE : up.connectedAtNanos() + SETTLING.toNanos();
    }
    if (next instanceof Down) {
      // An outage lasts across attempts: it began at the first Down after an Up (or the start).
      return previous instanceof Down ? measuringUntilNanos : timers.nanoTime() + FRESH_OUTAGE.toNanos();
    }
    return next instanceof Stopped ? Long.MIN_VALUE : Long.MAX_VALUE;
  }

  /** Opens a fresh connection (a new generation: events of older ones are dropped). */
  private void openConnection(Outage outage, boolean retriedOnOwn, boolean reconnect) {
    int gen = ++generation;
    connection = fleet.connections().create(new Events(gen));
    transition(new Down(outage, timers.nanoTime(), false, retriedOnOwn), new AttemptStarted(index, reconnect));
    armWatchdog();
    connection.open();
  }

  /** The client reports every failure it sees, but not a handshake that never ends: this does. */
  private void armWatchdog() {
    watchdog.start(fleet.target().connectTimeout().plus(WATCHDOG_GRACE), () -> {
      if (phase instanceof Down down && !down.waitingRetry()) {
        connectFailed(down, ConnectErrorReason.TIMEOUT,
            "no connect within connect-timeout; the client did not report why", true);
        retryOnOwn("stuck handshake");
      }
    });
  }

  private void onConnect(long nanos, String transport) {
    if (!(phase instanceof Down down)) {
      return;
    }
    watchdog.cancel();
    retryBackoff.reset();
    Duration handshake = Duration.ofNanos(nanos - down.attemptStartNanos());
    Instant since = timers.now();
    CanaryEvent event;
    OptionalDouble outageBefore = OptionalDouble.empty();
    if (down.outage() instanceof DrillOutage drill) {
      drillTimeout.cancel();
      if (drill.noticedNanos().isPresent()) {
        outageBefore = OptionalDouble.of((nanos - drill.noticedNanos().getAsLong()) / 1e9);
      }
      event = new DrillReconnected(index, handshake, Duration.ofNanos(nanos - drill.drillStartNanos()), !drill.failed());
    } else if (down.outage() instanceof Organic organic) {
      long cut = organic.cutNanos();
      outageBefore = OptionalDouble.of((nanos - cut) / 1e9);
      event = new Connected(index, since, handshake, Optional.of(Duration.ofNanos(nanos - cut)),
          fleet.agentStalls().stalledDuring(cut, nanos));
    } else if (down.outage() instanceof Recycle) {
      event = new RecycleReconnected(index);
    } else {
      event = new Connected(index, since, handshake, Optional.empty(), false);
    }
    transition(new Up(nanos, since, transport, outageBefore, OptionalLong.empty()), event);
    scheduleProbe();
  }

  private void onDisconnect(long nanos, String clientReason) {
    if (!(phase instanceof Up up)) {
      return;
    }
    DisconnectReason reason = chargeDisconnect(DisconnectReason.fromClientReason(clientReason),
        nanos - heartbeatWindow.toNanos(), nanos);
    leaveUp(up, nanos, reason);
    if (reason == DisconnectReason.SERVER_DISCONNECT) {
      retryOnOwn("io server disconnect");
    }
    // Otherwise the client reconnects by itself (transport close/error, ping timeout).
  }

  /** A connected canary's connection is gone at {@code nanos}: the drill's cut, or an organic disconnect. */
  private void leaveUp(Up up, long nanos, DisconnectReason reason) {
    idle.cancel();
    probeTimeout.cancel();
    if (up.drilled()) {
      // The drill's own cut, now noticed: the network comes back, and only the drill metrics tell.
      connection.restoreTransport();
      transition(new Down(new DrillOutage(up.drillStartNanos().getAsLong(), OptionalLong.of(nanos), false),
          nanos, false, false), new DrillCutNoticed(index));
      return;
    }
    lastDisconnect = reason;
    lastDisconnectAt = timers.now();
    transition(new Down(new Organic(nanos), nanos, false, false), new Disconnected(index, lastDisconnectAt, reason,
        Duration.ofNanos(nanos - up.connectedAtNanos()), up.outageBeforeSeconds()));
  }

  private void onConnectError(ConnectFailure failure) {
    // An attempt's outcome: a connected canary has no attempt in flight.
    if (!(phase instanceof Down down) || down.waitingRetry()) {
      return;
    }
    watchdog.cancel();
    ConnectErrorReason reason = fleet.classifier().classify(failure);
    // A connection cut mid-handshake may be the stall's doing too: a client that stood still sent
    // nothing, and an idle timeout on the path closed the connection.
    boolean stallCouldCauseIt = reason == ConnectErrorReason.TIMEOUT || failure.fault() == ConnectFailure.Fault.CLOSED;
    connectFailed(down, reason, FailureText.of(failure), stallCouldCauseIt);
    if (!failure.clientRetries()) {
      retryOnOwn("the client gave up on this socket (" + reason.label() + ")");
    }
  }

  /**
   * Counts a failed attempt. One that a stall of the agent could have caused (a timeout, a
   * connection cut while the client was silent) is not the target's if the agent stalled during it.
   */
  private void connectFailed(Down down, ConnectErrorReason reason, String detail, boolean stallCouldCauseIt) {
    if (stallCouldCauseIt && fleet.agentStalls().stalledDuring(down.attemptStartNanos(), timers.nanoTime())) {
      reason = ConnectErrorReason.AGENT_STALLED;
    }
    lastError = reason;
    lastErrorDetail = fleet.redact().apply(detail);
    lastErrorAt = timers.now();
    transition(down, new ConnectFailed(index, lastErrorAt, reason, detail));
  }

  private void onReconnectAttempt(long nanos) {
    if (phase instanceof Down down && !down.waitingRetry()) {
      transition(down.attemptAt(nanos), new AttemptStarted(index, true));
      armWatchdog();
    }
  }

  private void onReconnectFailed() {
    if (phase instanceof Down down && !down.waitingRetry()) {
      transition(down, new ReconnectFailed(index));
      retryOnOwn("reconnect_failed");
    }
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
    if (!(phase instanceof Down down)) {
      return;
    }
    discardConnection();
    cancelConnectionTimers();
    long delay = retryBackoff.nextDelayMillis();
    transition(down.waiting(), new RetryScheduled(index, why, delay));
    retry.start(Duration.ofMillis(delay), () -> {
      if (phase instanceof Down waiting && waiting.waitingRetry()) {
        openConnection(waiting.outage(), true, true);
      }
    });
  }

  private void drillExpired(Duration timeout) {
    if (phase instanceof Up up && up.drilled()) {
      // The cut was never noticed: the canary leaves the connected state here.
      idle.cancel();
      probeTimeout.cancel();
      transition(new Down(new DrillOutage(up.drillStartNanos().getAsLong(), OptionalLong.empty(), true),
          timers.nanoTime(), false, false), new DrillFailed(index));
    } else if (phase instanceof Down down && down.outage() instanceof DrillOutage drill && !drill.failed()) {
      transition(new Down(new DrillOutage(drill.drillStartNanos(), drill.noticedNanos(), true),
          down.attemptStartNanos(), down.waitingRetry(), down.retriedOnOwn()), new DrillFailed(index));
    } else {
      return;
    }
    retryOnOwn("drill did not recover within " + timeout.toMillis() + " ms");
  }

  private void scheduleProbe() {
    if (probe.enabled()) {
      idle.start(fleet.target().idle(), this::sendProbe);
    }
  }

  private void sendProbe() {
    if (!(phase instanceof Up)) {
      return;
    }
    long sequence = ++probeSequence;
    int gen = generation;
    long sentNanos = timers.nanoTime();
    connection.emitProbe(probe.event(), sequence, ackNanos ->
        fleet.context().execute(() -> onProbeAck(gen, sequence, sentNanos, ackNanos)));
    probeTimeout.start(probe.timeout(), () -> {
      if (phase instanceof Up up) {
        long now = timers.nanoTime();
        // A connection that cannot carry a message is down, whatever the client thinks.
        leaveUp(up, now, chargeDisconnect(DisconnectReason.PROBE_TIMEOUT, sentNanos, now));
        retryOnOwn("probe timeout");
      }
    });
  }

  private void onProbeAck(int gen, long sequence, long sentNanos, long ackNanos) {
    if (gen != generation || sequence != probeSequence || !(phase instanceof Up) || !probeTimeout.pending()) {
      return;
    }
    probeTimeout.cancel();
    // A round trip the agent's own stall stretched says nothing about the target.
    transition(phase, new ProbeAcked(index, Duration.ofNanos(ackNanos - sentNanos),
        fleet.agentStalls().stalledDuring(sentNanos, ackNanos)));
    scheduleProbe();
  }

  private void onHandshake(long pingIntervalMillis, long pingTimeoutMillis) {
    heartbeatWindow = Duration.ofMillis(pingIntervalMillis + pingTimeoutMillis);
    transition(phase, new ServerTimings(index, Duration.ofMillis(pingIntervalMillis), Duration.ofMillis(pingTimeoutMillis)));
  }

  private void onTransport(String name) {
    if (phase instanceof Up up && !name.equals(up.transport())) {
      transition(up.withTransport(name), new TransportChanged(index, up.transport(), name));
    }
  }

  private void onUpgrade(boolean success) {
    if (!(phase instanceof Stopped)) {
      transition(phase, new UpgradeEnded(index, success));
    }
  }

  private void discardConnection() {
    if (connection == Connection.NONE) {
      return;
    }
    Connection closing = connection;
    closing.close();
    // The goodbye leaves within milliseconds on a healthy path; whatever is still in flight
    // after the grace (a long-poll or handshake to a server that never finishes) is cancelled.
    timers.schedule(CALL_GRACE, closing::cancelCalls);
    connection = Connection.NONE;
    generation++;
  }

  /** The timers of the current connection and retry; a drill's timeout outlives them. */
  private void cancelConnectionTimers() {
    watchdog.cancel();
    retry.cancel();
    idle.cancel();
    probeTimeout.cancel();
  }

  private void publish() {
    Up up = phase instanceof Up connected ? connected : null;
    status = new CanaryStatus(index, publicState(phase), up == null ? null : up.transport(),
        up == null ? null : up.since(), lastDisconnect == null ? null : lastDisconnect.label(), lastDisconnectAt,
        lastError == null ? null : lastError.label(), lastErrorDetail, lastErrorAt);
  }

  /** The state the status API shows for a phase. */
  private static CanaryState publicState(Phase phase) {
    if (phase instanceof Up) {
      return CanaryState.CONNECTED;
    }
    if (phase instanceof Stopped) {
      return CanaryState.STOPPED;
    }
    if (phase instanceof Down down) {
      if (down.waitingRetry()) {
        return CanaryState.WAITING_RETRY;
      }
      boolean fresh = (down.outage() instanceof FirstConnect || down.outage() instanceof Recycle)
          && !down.retriedOnOwn();
      return fresh ? CanaryState.CONNECTING : CanaryState.RECONNECTING;
    }
    return CanaryState.CONNECTING;
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
      fleet.context().execute(() -> {
        if (gen == generation && !(phase instanceof Stopped)) {
          handler.run();
        }
      });
    }

    @Override
    public void onRecovery(long nanoTime, RecoveryOutcome outcome) {
      onContext(() -> Canary.this.onRecovery(outcome));
    }

    @Override
    public void onSubscribedEvent(long nanoTime, org.json.JSONArray args, boolean replayed) {
      onContext(() -> Canary.this.onMessage(nanoTime, args, replayed));
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
