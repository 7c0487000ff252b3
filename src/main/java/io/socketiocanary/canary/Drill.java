package io.socketiocanary.canary;

import java.time.Duration;

/**
 * One canary's reconnect drill: the canary's own connection is cut abruptly and the network
 * blacked out until the cut is noticed (the client's {@code cutTransport}/{@code restoreTransport}),
 * and the way back is measured in the drill metrics only, apart from the organic figures.
 *
 * <p>A drill is pending from {@link #start} until the canary connects again ({@link #recovered})
 * or the timeout fires. After a timeout the drill has failed, and the outage it caused stays a
 * drill outage until the canary is connected again: it is not an incident either.
 *
 * <p>Thread confinement: owned by its {@link Canary}, on the fleet's Vert.x context.
 */
final class Drill {
  private final FleetResources fleet;
  private long timer = -1;
  /** The drill cut the connection and the canary has not reconnected yet. */
  private boolean pending;
  /** The drill failed: the outage it caused is not an incident either. */
  private boolean failedOutage;
  private long startNanos;

  Drill(FleetResources fleet) {
    this.fleet = fleet;
  }

  /** A drill cut the connection and it has not reconnected yet. */
  boolean pending() {
    return pending;
  }

  /** Pending, or failed with the canary not yet back: the canary's outage is the drill's. */
  boolean active() {
    return pending || failedOutage;
  }

  /** Starts the clock; {@code expired} runs on the context if not recovered within {@code timeout}. */
  void start(Duration timeout, Runnable expired) {
    pending = true;
    startNanos = System.nanoTime();
    timer = fleet.vertx().setTimer(timeout.toMillis(), id -> {
      timer = -1;
      if (pending) {
        expired.run();
      }
    });
  }

  /** The canary left the connected state because of the drill's cut. */
  void cutNoticed() {
    fleet.metrics().drillDisconnected();
  }

  /** Not recovered in time: the drill failed, its outage stays a drill outage. */
  void failed() {
    pending = false;
    failedOutage = true;
    fleet.metrics().drillFailed();
  }

  /** The canary connected again at {@code nanos} after an active drill; ends the drill. */
  void recovered(long nanos, Duration handshake) {
    if (pending) {
      fleet.metrics().drillRecovered(handshake, Duration.ofNanos(nanos - startNanos));
    } else {
      fleet.metrics().drillDisconnectedRecovered();
    }
    pending = failedOutage = false;
    cancelTimer();
  }

  /** Cancels the timeout, for a stopping canary. */
  void cancelTimer() {
    if (timer >= 0) {
      fleet.vertx().cancelTimer(timer);
    }
    timer = -1;
  }
}
