package io.socketiocanary.canary;

import static io.socketiocanary.metrics.MetricNames.CONNECTED;
import static io.socketiocanary.metrics.MetricNames.CONNECTION_LIFETIME;
import static io.socketiocanary.metrics.MetricNames.CONNECTS;
import static io.socketiocanary.metrics.MetricNames.CONNECT_ERRORS;
import static io.socketiocanary.metrics.MetricNames.DISCONNECTS;
import static io.socketiocanary.metrics.MetricNames.DRILLS;
import static io.socketiocanary.metrics.MetricNames.DRILL_RECONNECT_DURATION;
import static io.socketiocanary.metrics.MetricNames.HANDSHAKE_DURATION;
import static io.socketiocanary.metrics.MetricNames.PROBE_DURATION;
import static io.socketiocanary.metrics.MetricNames.PROBE_FAILURES;
import static io.socketiocanary.metrics.MetricNames.RECONNECTS_EXCLUDED;
import static io.socketiocanary.metrics.MetricNames.RECONNECT_ATTEMPTS;
import static io.socketiocanary.metrics.MetricNames.RECONNECT_DURATION;
import static io.socketiocanary.metrics.MetricNames.RECONNECT_FAILED;
import static io.socketiocanary.metrics.MetricNames.RECYCLES;
import static io.socketiocanary.metrics.MetricNames.SERVER_PING_INTERVAL;
import static io.socketiocanary.metrics.MetricNames.TRANSPORT_GAUGE;
import static io.socketiocanary.metrics.MetricNames.UPGRADES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.socketiocanary.client.ConnectFailure;
import io.socketiocanary.failure.ConnectErrorReason;
import io.socketiocanary.failure.DisconnectReason;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every transition of the canary's state machine, in-process on a manual clock with fake
 * connections: what the canary shows, which events it emits and what the meters say.
 */
class CanaryStateMachineTest {
  private static final Duration HANDSHAKE = Duration.ofMillis(40);

  private final CanaryRig rig = new CanaryRig(1);
  private final Canary canary = rig.canary(0);

  /** Starts the canary and connects it over {@code transport} after {@link #HANDSHAKE}. */
  private void connect(String transport) {
    canary.start();
    rig.advance(HANDSHAKE);
    rig.connection(0).listener.onConnect(rig.now(), transport);
  }

  private double disconnects(DisconnectReason reason) {
    return rig.counter(DISCONNECTS, "reason", reason.label());
  }

  private double connectErrors(ConnectErrorReason reason) {
    return rig.counter(CONNECT_ERRORS, "reason", reason.label());
  }

  private static ConnectFailure timeout() {
    return new ConnectFailure(ConnectFailure.Kind.TIMEOUT, "timeout", null, null, true);
  }

  @Test
  void aFirstConnectIsCountedWithItsHandshakeAndNoOutage() {
    canary.start();
    assertThat(rig.state(0)).isEqualTo(CanaryState.CONNECTING);
    assertThat(rig.connection(0).opened).isTrue();
    assertThat(rig.events(CanaryEvent.AttemptStarted.class)).containsExactly(new CanaryEvent.AttemptStarted(0, false));

    rig.advance(HANDSHAKE);
    rig.connection(0).listener.onConnect(rig.now(), "websocket");

    assertThat(rig.state(0)).isEqualTo(CanaryState.CONNECTED);
    assertThat(canary.status().transport()).isEqualTo("websocket");
    assertThat(canary.status().connectedSince()).isNotNull();
    assertThat(rig.events(CanaryEvent.Connected.class)).singleElement()
        .satisfies(e -> assertThat(e.handshake()).isEqualTo(HANDSHAKE))
        .satisfies(e -> assertThat(e.outage()).isEmpty());
    assertThat(rig.counter(CONNECTS)).isEqualTo(1);
    assertThat(rig.timerCount(HANDSHAKE_DURATION)).isEqualTo(1);
    assertThat(rig.timerCount(RECONNECT_DURATION)).isZero();
    assertThat(rig.gauge(CONNECTED)).isEqualTo(1);
    assertThat(rig.gauge(TRANSPORT_GAUGE, "name", "websocket")).isEqualTo(1);
  }

  /** Every reason the client gives: counted once, lifetime recorded, and the outage ends at the next connect. */
  @ParameterizedTest
  @CsvSource({"transport close, TRANSPORT_CLOSE", "transport error, TRANSPORT_ERROR", "ping timeout, PING_TIMEOUT",
      "forced close, CLIENT_DISCONNECT", "something new, TRANSPORT_ERROR"})
  void aDisconnectTheClientRetriesIsCountedAndTheReconnectMeasured(String clientReason, DisconnectReason reason) {
    connect("websocket");
    rig.advance(Duration.ofSeconds(30));
    rig.connection(0).listener.onDisconnect(rig.now(), clientReason);

    assertThat(rig.state(0)).isEqualTo(CanaryState.RECONNECTING);
    assertThat(disconnects(reason)).isEqualTo(1);
    assertThat(rig.gauge(CONNECTED)).isZero();
    assertThat(rig.gauge(TRANSPORT_GAUGE, "name", "websocket")).isZero();
    assertThat(rig.timerTotalSeconds(CONNECTION_LIFETIME)).isCloseTo(30, within(1e-9));
    assertThat(canary.status().lastDisconnectReason()).isEqualTo(reason.label());
    assertThat(rig.connectionsOpened(0)).isEqualTo(1);

    rig.connection(0).listener.onReconnectAttempt(rig.now() + 500_000_000L, 1);
    rig.advance(Duration.ofMillis(700));
    rig.connection(0).listener.onConnect(rig.now(), "websocket");

    assertThat(rig.state(0)).isEqualTo(CanaryState.CONNECTED);
    assertThat(rig.counter(RECONNECT_ATTEMPTS)).isEqualTo(1);
    assertThat(rig.counter(CONNECTS)).isEqualTo(2);
    assertThat(rig.timerTotalSeconds(RECONNECT_DURATION)).isCloseTo(0.7, within(1e-9));
    assertThat(rig.timerTotalSeconds(HANDSHAKE_DURATION)).isCloseTo(0.04 + 0.2, within(1e-9));
    assertThat(rig.gauge(CONNECTED)).isEqualTo(1);
  }

  @Test
  void aServerDisconnectIsRetriedByTheCanaryOnAFreshConnection() {
    connect("websocket");
    rig.connection(0).listener.onDisconnect(rig.now(), "io server disconnect");

    assertThat(disconnects(DisconnectReason.SERVER_DISCONNECT)).isEqualTo(1);
    assertThat(rig.state(0)).isEqualTo(CanaryState.WAITING_RETRY);
    assertThat(rig.connection(0).closed).isTrue();

    rig.advance(Duration.ofSeconds(5));
    assertThat(rig.connectionsOpened(0)).isEqualTo(2);
    assertThat(rig.state(0)).isEqualTo(CanaryState.RECONNECTING);
    assertThat(rig.counter(RECONNECT_ATTEMPTS)).isEqualTo(1);
    rig.connection(0).listener.onConnect(rig.now(), "websocket");
    assertThat(rig.timerCount(RECONNECT_DURATION)).isEqualTo(1);
    assertThat(rig.state(0)).isEqualTo(CanaryState.CONNECTED);
  }

  /** A connect error the client retries: counted, the attempt goes on; one it gives up on: the canary retries. */
  @ParameterizedTest
  @CsvSource({"TIMEOUT, timeout, true, TIMEOUT, CONNECTING", "NAMESPACE_REJECTED, invalid token, false, AUTH, WAITING_RETRY",
      "NAMESPACE_REJECTED, Invalid namespace, false, INVALID_NAMESPACE, WAITING_RETRY",
      "NAMESPACE_REJECTED, go away, false, SERVER_REJECTED, WAITING_RETRY",
      "PROTOCOL, v2, true, PROTOCOL_MISMATCH, CONNECTING"})
  void aConnectErrorIsClassifiedAndCounted(ConnectFailure.Kind kind, String message, boolean clientRetries,
      ConnectErrorReason reason, CanaryState after) {
    canary.start();
    rig.connection(0).listener.onConnectError(rig.now(), new ConnectFailure(kind, message, null, null, clientRetries));

    assertThat(connectErrors(reason)).isEqualTo(1);
    assertThat(rig.state(0)).isEqualTo(after);
    assertThat(canary.status().lastErrorReason()).isEqualTo(reason.label());
    assertThat(rig.connection(0).closed).isEqualTo(!clientRetries);
    rig.advance(Duration.ofSeconds(5));
    assertThat(rig.connectionsOpened(0)).isEqualTo(clientRetries ? 1 : 2);
  }

  @Test
  void anErrorDetailIsRedactedBeforeTheStatusShowsIt() {
    canary.start();
    rig.connection(0).listener.onConnectError(rig.now(),
        new ConnectFailure(ConnectFailure.Kind.NAMESPACE_REJECTED, "bad token s3cret", null, null, false));
    assertThat(canary.status().lastErrorDetail()).isEqualTo("bad token [redacted]");
  }

  @Test
  void aHandshakeThatNeverEndsIsATimeoutAndTheCanaryRetries() {
    canary.start();
    rig.advance(Duration.ofSeconds(22).minusMillis(1));
    assertThat(connectErrors(ConnectErrorReason.TIMEOUT)).isZero();
    rig.advanceMillis(1);

    assertThat(connectErrors(ConnectErrorReason.TIMEOUT)).isEqualTo(1);
    assertThat(rig.state(0)).isEqualTo(CanaryState.WAITING_RETRY);
    assertThat(rig.events(CanaryEvent.RetryScheduled.class)).singleElement()
        .satisfies(e -> assertThat(e.why()).isEqualTo("stuck handshake"));
  }

  @Test
  void aTimeoutDuringAnAgentStallIsChargedToTheAgent() {
    canary.start();
    rig.advance(Duration.ofSeconds(3));
    rig.stalledFor(Duration.ofSeconds(2));
    rig.connection(0).listener.onConnectError(rig.now(), timeout());
    assertThat(connectErrors(ConnectErrorReason.TIMEOUT)).isZero();
    assertThat(connectErrors(ConnectErrorReason.AGENT_STALLED)).isEqualTo(1);
  }

  @Test
  void aHandshakeCutWithoutAnAnswerDuringAnAgentStallIsChargedToTheAgent() {
    canary.start();
    rig.advance(Duration.ofSeconds(1));
    rig.stalledFor(Duration.ofSeconds(2));
    rig.connection(0).listener.onConnectError(rig.now(), cutWithoutAnswer());
    assertThat(connectErrors(ConnectErrorReason.OTHER)).isZero();
    assertThat(connectErrors(ConnectErrorReason.AGENT_STALLED)).isEqualTo(1);
  }

  @Test
  void aCutWithoutAStallAndAnAnswerDuringAStallStayTheTargets() {
    canary.start();
    rig.advance(Duration.ofSeconds(1));
    rig.connection(0).listener.onConnectError(rig.now(), cutWithoutAnswer());
    assertThat(connectErrors(ConnectErrorReason.OTHER)).as("no stall: the target's").isEqualTo(1);

    rig.advance(Duration.ofSeconds(2));
    rig.connection(0).listener.onReconnectAttempt(rig.now(), 1);
    rig.stalledFor(Duration.ofSeconds(2));
    rig.connection(0).listener.onConnectError(rig.now(), new ConnectFailure(ConnectFailure.Kind.TRANSPORT, "xhr poll error",
        new java.io.IOException("502"), null, true));
    assertThat(connectErrors(ConnectErrorReason.HTTP_502)).as("the server answered: the target's").isEqualTo(1);
    assertThat(connectErrors(ConnectErrorReason.AGENT_STALLED)).isZero();
  }

  private static ConnectFailure cutWithoutAnswer() {
    return new ConnectFailure(ConnectFailure.Kind.TRANSPORT, "websocket error", new java.io.EOFException(
        "connection closed without a close frame"), null, true);
  }

  @Test
  void aDisconnectAndAnOutageDuringAnAgentStallAreNotChargedToTheTarget() {
    connect("websocket");
    rig.advance(Duration.ofSeconds(60));
    rig.stalledFor(Duration.ofSeconds(3));
    rig.connection(0).listener.onDisconnect(rig.now(), "ping timeout");
    assertThat(disconnects(DisconnectReason.AGENT_STALLED)).isEqualTo(1);
    assertThat(disconnects(DisconnectReason.PING_TIMEOUT)).isZero();
    assertThat(rig.timerCount(CONNECTION_LIFETIME)).isZero();

    rig.advance(Duration.ofSeconds(1));
    rig.connection(0).listener.onConnect(rig.now(), "websocket");
    assertThat(rig.counter(RECONNECTS_EXCLUDED)).isEqualTo(1);
    assertThat(rig.timerCount(RECONNECT_DURATION)).isZero();
  }

  @Test
  void aServerDisconnectDuringAStallIsStillTheServers() {
    connect("websocket");
    rig.stalledFor(Duration.ofSeconds(3));
    rig.connection(0).listener.onDisconnect(rig.now(), "io server disconnect");
    assertThat(disconnects(DisconnectReason.SERVER_DISCONNECT)).isEqualTo(1);
  }

  @Test
  void reconnectFailedMakesTheCanaryRetryOnItsOwn() {
    connect("websocket");
    rig.connection(0).listener.onDisconnect(rig.now(), "transport close");
    rig.connection(0).listener.onReconnectFailed(rig.now());
    assertThat(rig.counter(RECONNECT_FAILED)).isEqualTo(1);
    assertThat(rig.state(0)).isEqualTo(CanaryState.WAITING_RETRY);
    rig.advance(Duration.ofSeconds(5));
    assertThat(rig.connectionsOpened(0)).isEqualTo(2);
  }

  private CanaryRig probingRig() {
    return new CanaryRig(1, "probe { event = canary-probe, timeout = 5s }, idle = 10s");
  }

  @Test
  void aProbeAckedInTimeIsMeasuredAndTheNextScheduled() {
    CanaryRig probing = probingRig();
    probing.canary(0).start();
    probing.connection(0).listener.onConnect(probing.now(), "websocket");
    probing.advance(Duration.ofSeconds(10));
    assertThat(probing.connection(0).probeAcks).hasSize(1);
    probing.advanceMillis(30);
    probing.connection(0).probeAcks.get(0).accept(probing.now());

    assertThat(probing.timerTotalSeconds(PROBE_DURATION)).isCloseTo(0.03, within(1e-9));
    probing.advance(Duration.ofSeconds(10));
    assertThat(probing.connection(0).probeAcks).hasSize(2);
    assertThat(probing.state(0)).isEqualTo(CanaryState.CONNECTED);
  }

  @Test
  void aProbeWithoutAckIsADisconnectAndALateAckChangesNothing() {
    CanaryRig probing = probingRig();
    probing.canary(0).start();
    probing.connection(0).listener.onConnect(probing.now(), "websocket");
    probing.advance(Duration.ofSeconds(15));

    assertThat(probing.counter(PROBE_FAILURES)).isEqualTo(1);
    assertThat(probing.counter(DISCONNECTS, "reason", "probe_timeout")).isEqualTo(1);
    assertThat(probing.state(0)).isEqualTo(CanaryState.WAITING_RETRY);
    assertThat(probing.gauge(CONNECTED)).isZero();

    probing.connections.get(0).get(0).probeAcks.get(0).accept(probing.now());
    assertThat(probing.timerCount(PROBE_DURATION)).isZero();
    assertThat(probing.state(0)).isEqualTo(CanaryState.WAITING_RETRY);
  }

  @Test
  void aDrillIsMeasuredApartFromTheOrganicFigures() {
    connect("websocket");
    rig.advance(Duration.ofSeconds(10));
    canary.drill(Duration.ofSeconds(30));
    assertThat(rig.connection(0).cuts).isEqualTo(1);
    assertThat(canary.drilling()).isTrue();
    assertThat(canary.connected()).as("not drilled twice").isFalse();
    assertThat(rig.state(0)).as("connected until the client notices").isEqualTo(CanaryState.CONNECTED);

    rig.advance(Duration.ofSeconds(2));
    rig.connection(0).listener.onDisconnect(rig.now(), "transport error");
    assertThat(rig.connection(0).restores).isEqualTo(1);
    assertThat(rig.state(0)).isEqualTo(CanaryState.RECONNECTING);
    assertThat(rig.gauge(CONNECTED)).isZero();
    assertThat(disconnects(DisconnectReason.TRANSPORT_ERROR)).isZero();

    rig.advance(Duration.ofSeconds(1));
    rig.connection(0).listener.onConnect(rig.now(), "websocket");
    assertThat(rig.counter(DRILLS, "result", "recovered")).isEqualTo(1);
    assertThat(rig.timerTotalSeconds(DRILL_RECONNECT_DURATION)).isCloseTo(3, within(1e-9));
    assertThat(rig.counter(CONNECTS)).isEqualTo(1);
    assertThat(rig.timerCount(RECONNECT_DURATION)).isZero();
    assertThat(rig.timerCount(CONNECTION_LIFETIME)).isZero();
    assertThat(canary.drilling()).isFalse();
    assertThat(rig.gauge(CONNECTED)).isEqualTo(1);

    rig.advance(Duration.ofSeconds(60));
    assertThat(rig.counter(DRILLS, "result", "failed")).as("the drill's timer is gone").isZero();
  }

  @Test
  void aDrillWhoseCutIsNeverNoticedFailsAndItsOutageStaysTheDrills() {
    connect("websocket");
    canary.drill(Duration.ofSeconds(30));
    rig.advance(Duration.ofSeconds(30));

    assertThat(rig.counter(DRILLS, "result", "failed")).isEqualTo(1);
    assertThat(rig.state(0)).isEqualTo(CanaryState.WAITING_RETRY);
    assertThat(rig.gauge(CONNECTED)).isZero();
    assertThat(canary.drilling()).isTrue();

    rig.advance(Duration.ofSeconds(5));
    rig.connection(0).listener.onConnect(rig.now(), "websocket");
    assertThat(rig.counter(DRILLS, "result", "recovered")).isZero();
    assertThat(rig.counter(CONNECTS)).isEqualTo(1);
    assertThat(rig.timerCount(RECONNECT_DURATION)).isZero();
    assertThat(disconnects(DisconnectReason.TRANSPORT_ERROR)).isZero();
    assertThat(canary.drilling()).isFalse();
    assertThat(rig.gauge(CONNECTED)).isEqualTo(1);
  }

  @Test
  void aRecycleOpensAFreshConnectionAndCountsNoOrganicFigure() {
    connect("websocket");
    canary.recycle();
    assertThat(rig.connections.get(0).get(0).closed).isTrue();
    assertThat(rig.connectionsOpened(0)).isEqualTo(2);
    assertThat(rig.state(0)).isEqualTo(CanaryState.CONNECTING);
    assertThat(rig.counter(RECYCLES)).isEqualTo(1);
    assertThat(rig.gauge(CONNECTED)).isZero();

    rig.advance(HANDSHAKE);
    rig.connection(0).listener.onConnect(rig.now(), "websocket");
    assertThat(rig.counter(CONNECTS)).isEqualTo(1);
    assertThat(rig.counter(RECONNECT_ATTEMPTS)).isZero();
    assertThat(rig.timerCount(RECONNECT_DURATION)).isZero();
    assertThat(rig.gauge(CONNECTED)).isEqualTo(1);
  }

  @Test
  void stoppingMidAttemptClosesTheConnectionCancelsEveryTimerAndIgnoresLateEvents() {
    canary.start();
    rig.advance(Duration.ofSeconds(1));
    canary.stop();

    assertThat(rig.state(0)).isEqualTo(CanaryState.STOPPED);
    assertThat(rig.connection(0).closed).isTrue();
    rig.advance(Canary.CALL_GRACE);
    assertThat(rig.connection(0).cancelledCalls).isEqualTo(1);
    assertThat(rig.timers.pending()).isZero();
    rig.connection(0).listener.onConnect(rig.now(), "websocket");
    assertThat(rig.state(0)).isEqualTo(CanaryState.STOPPED);
    assertThat(rig.counter(CONNECTS)).isZero();
    assertThat(disconnects(DisconnectReason.CLIENT_DISCONNECT)).isZero();
  }

  @Test
  void stoppingAConnectedCanaryIsAClientDisconnect() {
    connect("websocket");
    canary.stop();
    assertThat(disconnects(DisconnectReason.CLIENT_DISCONNECT)).isEqualTo(1);
    assertThat(rig.gauge(CONNECTED)).isZero();
    assertThat(rig.events.get(rig.events.size() - 1)).isEqualTo(new CanaryEvent.Stopped(0));
  }

  @Test
  void eventsOfAReplacedConnectionAreDropped() {
    connect("websocket");
    FakeConnection first = rig.connection(0);
    first.listener.onDisconnect(rig.now(), "io server disconnect");
    rig.advance(Duration.ofSeconds(5));
    assertThat(rig.connectionsOpened(0)).isEqualTo(2);

    first.listener.onConnect(rig.now(), "websocket");
    first.listener.onConnectError(rig.now(), timeout());
    first.listener.onDisconnect(rig.now(), "transport close");
    assertThat(rig.state(0)).isEqualTo(CanaryState.RECONNECTING);
    assertThat(rig.counter(CONNECTS)).isEqualTo(1);
    assertThat(connectErrors(ConnectErrorReason.TIMEOUT)).isZero();
  }

  @Test
  void anUpgradeMovesTheTransportGaugeAndIsCounted() {
    CanaryRig upgrading = new CanaryRig(1);
    upgrading.canary(0).start();
    upgrading.connection(0).listener.onConnect(upgrading.now(), "polling");
    assertThat(upgrading.gauge(TRANSPORT_GAUGE, "name", "polling")).isEqualTo(1);
    upgrading.connection(0).listener.onTransport(upgrading.now(), "websocket");
    upgrading.connection(0).listener.onUpgrade(upgrading.now(), true);

    assertThat(upgrading.gauge(TRANSPORT_GAUGE, "name", "polling")).isZero();
    assertThat(upgrading.gauge(TRANSPORT_GAUGE, "name", "websocket")).isEqualTo(1);
    assertThat(upgrading.canary(0).status().transport()).isEqualTo("websocket");
    assertThat(upgrading.events(CanaryEvent.UpgradeEnded.class)).containsExactly(new CanaryEvent.UpgradeEnded(0, true));
    // This rig's fleet is a websocket fleet, which has no upgrade counters to move.
    assertThat(upgrading.registry.find(UPGRADES).counters()).isEmpty();
  }

  @Test
  void theServersTimingsAreExportedAndWidenTheWindowAStallExcuses() {
    connect("websocket");
    rig.connection(0).listener.onHandshake(rig.now(), 25_000, 20_000);
    assertThat(rig.gauge(SERVER_PING_INTERVAL)).isEqualTo(25);

    rig.advance(Duration.ofSeconds(120));
    // A stall 40 s ago is within pingInterval + pingTimeout (45 s): the ping timeout may be the agent's.
    rig.stalls.add(new long[] {rig.now() - Duration.ofSeconds(41).toNanos(), rig.now() - Duration.ofSeconds(40).toNanos()});
    rig.connection(0).listener.onDisconnect(rig.now(), "ping timeout");
    assertThat(disconnects(DisconnectReason.AGENT_STALLED)).isEqualTo(1);
  }

  @Test
  void aDisconnectCarriesHowLongTheCanaryHadBeenCutOffBeforeThatConnection() {
    connect("websocket");
    rig.advance(Duration.ofSeconds(30));
    rig.connection(0).listener.onDisconnect(rig.now(), "transport close");
    rig.advanceMillis(600);
    rig.connection(0).listener.onConnect(rig.now(), "websocket");
    rig.advance(Duration.ofSeconds(30));
    rig.connection(0).listener.onDisconnect(rig.now(), "transport close");

    assertThat(rig.events(CanaryEvent.Disconnected.class)).extracting(CanaryEvent.Disconnected::outageBeforeSeconds)
        .containsExactly(OptionalDouble.empty(), OptionalDouble.of(0.6));
  }

  @Test
  void aConnectErrorWhileConnectedIsNoAttemptsOutcome() {
    connect("websocket");
    rig.connection(0).listener.onConnectError(rig.now(), timeout());
    assertThat(connectErrors(ConnectErrorReason.TIMEOUT)).isZero();
    assertThat(rig.state(0)).isEqualTo(CanaryState.CONNECTED);
    assertThat(rig.events(CanaryEvent.Connected.class)).extracting(CanaryEvent.Connected::outage)
        .containsExactly(Optional.empty());
  }

  /** What quiet collections ask: whether a pause of the agent now would lengthen a measurement of this canary. */
  @Test
  void aCanaryIsMeasuringWhileStartingJustConnectedDrilledOrInAFreshOutage() {
    assertThat(canary.measuring()).as("not started yet: about to").isTrue();
    canary.start();
    rig.advance(Duration.ofMinutes(5));
    assertThat(canary.measuring()).as("a first connect that has not come for five minutes").isFalse();
    rig.connection(0).listener.onConnect(rig.now(), "websocket");
    assertThat(canary.measuring()).as("just connected").isTrue();
    rig.advance(Canary.SETTLING.minusMillis(1));
    assertThat(canary.measuring()).isTrue();
    rig.advance(Duration.ofMillis(1));
    assertThat(canary.measuring()).as("settled").isFalse();

    rig.connection(0).listener.onDisconnect(rig.now(), "transport error");
    assertThat(canary.measuring()).as("an outage just began").isTrue();
    // Failed attempts within the outage do not restart its clock.
    for (int i = 0; i < 5; i++) {
      rig.advance(Duration.ofSeconds(10));
      rig.connection(0).listener.onReconnectAttempt(rig.now(), i + 1);
      rig.connection(0).listener.onConnectError(rig.now(), timeout());
    }
    assertThat(canary.measuring()).as("50 s into the outage").isTrue();
    rig.advance(Duration.ofSeconds(10));
    assertThat(canary.measuring()).as("a minute into the outage: a pause is a sliver of it").isFalse();

    rig.connection(0).listener.onConnect(rig.now(), "websocket");
    rig.advance(Canary.SETTLING);
    assertThat(canary.measuring()).isFalse();
    canary.drill(Duration.ofSeconds(30));
    rig.advance(Duration.ofSeconds(20));
    assertThat(canary.measuring()).as("a drill's cut not noticed yet, 20 s on").isTrue();

    canary.stop();
    assertThat(canary.measuring()).as("stopped").isFalse();
  }
}
