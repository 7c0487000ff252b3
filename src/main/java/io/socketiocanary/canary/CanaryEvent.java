package io.socketiocanary.canary;

import io.socketiocanary.failure.ConnectErrorReason;
import io.socketiocanary.failure.DisconnectReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What happened to one canary, emitted once by {@link Canary}'s transition and read by the fleet's
 * observers (metrics, failure log, history, idle-timeout watch). Every figure an observer records
 * is in the event: observers never ask the canary.
 */
sealed interface CanaryEvent {
  /** The canary's number within its fleet. */
  int canary();

  /** Calls the observer's method for this kind of event. */
  void deliverTo(CanaryObserver observer);

  /**
   * The namespace connected after a first attempt or an organic outage; {@code outage} is the
   * organic outage it ends, absent for a first connect.
   *
   * @param outageOverlapsStall the agent itself stalled during the outage, so its length may be
   *     the agent's, not the target's
   */
  record Connected(int canary, Instant at, Duration handshake, Optional<Duration> outage,
      boolean outageOverlapsStall) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.connected(this);
    }
  }

  /** A connected canary lost its connection, not by a drill or a recycle. */
  record Disconnected(int canary, Instant at, DisconnectReason reason, Duration lifetime,
      OptionalDouble outageBeforeSeconds) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.disconnected(this);
    }
  }

  /** A connect attempt failed, for {@code reason}; {@code detail} is not yet redacted. */
  record ConnectFailed(int canary, Instant at, ConnectErrorReason reason, String detail) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.connectFailed(this);
    }
  }

  /**
   * A connect attempt began: the first, a fresh connection after a recycle, or ({@code reconnect})
   * the client's own reconnect attempt or the canary's after its backoff.
   */
  record AttemptStarted(int canary, boolean reconnect) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.attemptStarted(this);
    }
  }

  /** The client exhausted its reconnection attempts. */
  record ReconnectFailed(int canary) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.reconnectFailed(this);
    }
  }

  /** The client would not retry, so the canary opens a fresh connection after {@code delayMillis}. */
  record RetryScheduled(int canary, String why, long delayMillis) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.retryScheduled(this);
    }
  }

  /** A drill cut the canary's connection on purpose; it still counts as connected until the cut is noticed. */
  record DrillStarted(int canary) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.drillStarted(this);
    }
  }

  /** The client noticed the drill's cut: the canary is down, and no organic figure moves. */
  record DrillCutNoticed(int canary) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.drillCutNoticed(this);
    }
  }

  /** The drill's canary was not back within the drill timeout. */
  record DrillFailed(int canary) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.drillFailed(this);
    }
  }

  /**
   * The canary is connected again after a drill's cut; {@code inTime} when within the drill
   * timeout ({@code sinceCut} is the drill's outage), otherwise the drill was already counted failed.
   */
  record DrillReconnected(int canary, Duration handshake, Duration sinceCut, boolean inTime) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.drillReconnected(this);
    }
  }

  /** The canary closed its connection on purpose to go through a changed path (a rollout). */
  record Recycled(int canary) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.recycled(this);
    }
  }

  /** A recycled canary is connected again; not a connect in the organic figures. */
  record RecycleReconnected(int canary) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.recycleReconnected(this);
    }
  }

  /** The server's ping interval and timeout from an Engine.IO handshake. */
  record ServerTimings(int canary, Duration pingInterval, Duration pingTimeout) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.serverTimings(this);
    }
  }

  /** A connected canary moved to another transport ("polling", "websocket"). */
  record TransportChanged(int canary, String from, String to) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.transportChanged(this);
    }
  }

  /** A polling to WebSocket upgrade ended. */
  record UpgradeEnded(int canary, boolean success) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.upgradeEnded(this);
    }
  }

  /** A probe was acknowledged after {@code roundTrip}; a round trip an agent stall overlapped says nothing. */
  record ProbeAcked(int canary, Duration roundTrip, boolean overlapsStall) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.probeAcked(this);
    }
  }

  /** The agent stopped the canary. */
  record Stopped(int canary) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.stopped(this);
    }
  }

  /**
   * A connect was judged for connection state recovery: {@code offered} whether the server's
   * CONNECT answer carried a pid; {@code result} the recoveries label when the reconnect counts.
   */
  record SessionJudged(int canary, boolean offered, Optional<String> result) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.sessionJudged(this);
    }
  }

  /**
   * A message of the subscribed event arrived: {@code missed} numbers newly known missed,
   * {@code replayed} whether it came with a restored session, {@code silenceSeconds} since the
   * previous one (NaN for the first).
   */
  record MessageReceived(int canary, long missed, boolean replayed, double silenceSeconds) implements CanaryEvent {
    public void deliverTo(CanaryObserver observer) {
      observer.messageReceived(this);
    }
  }
}
