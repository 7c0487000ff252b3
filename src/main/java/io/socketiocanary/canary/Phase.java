package io.socketiocanary.canary;

import java.time.Instant;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Where a {@link Canary} is: exactly one phase at a time, replaced only by the canary's
 * transition. Immutable; a phase carries the times its measurements need, so no field of the
 * canary stands for "no time yet".
 */
sealed interface Phase {
  /** Built, not started yet. */
  record Created() implements Phase {}

  /**
   * Connected since {@code connectedAtNanos} on {@code transport}. A drill's cut may be on its way
   * ({@code drillStartNanos}): the canary counts as connected until the client notices.
   *
   * @param outageBeforeSeconds how long before this connection the canary had been cut off, for
   *     the idle-timeout detector to tell a fixed age from a fixed period; absent after a first
   *     connect or a recycle, where no cut came before
   */
  record Up(long connectedAtNanos, Instant since, String transport, OptionalDouble outageBeforeSeconds,
      OptionalLong drillStartNanos) implements Phase {
    Up withTransport(String name) {
      return new Up(connectedAtNanos, since, name, outageBeforeSeconds, drillStartNanos);
    }

    Up drilledAt(long nanos) {
      return new Up(connectedAtNanos, since, transport, outageBeforeSeconds, OptionalLong.of(nanos));
    }

    boolean drilled() {
      return drillStartNanos.isPresent();
    }
  }

  /**
   * Not connected: an attempt started at {@code attemptStartNanos} is in flight, or, while
   * {@code waitingRetry}, the canary waits its own backoff before it opens a fresh connection.
   *
   * @param retriedOnOwn the canary has opened a fresh connection during this outage
   */
  record Down(Outage outage, long attemptStartNanos, boolean waitingRetry, boolean retriedOnOwn)
      implements Phase {
    Down attemptAt(long nanos) {
      return new Down(outage, nanos, false, retriedOnOwn);
    }

    Down waiting() {
      return new Down(outage, attemptStartNanos, true, retriedOnOwn);
    }
  }

  /** Stopped by the agent; nothing happens any more. */
  record Stopped() implements Phase {}

  /** Why a canary is down: decides what its next connect counts as. */
  sealed interface Outage {}

  /** Never connected yet. */
  record FirstConnect() implements Outage {}

  /** Cut off organically at {@code cutNanos}: the next connect ends an outage the figures count. */
  record Organic(long cutNanos) implements Outage {}

  /**
   * A drill cut the connection at {@code drillStartNanos}; the client noticed at {@code noticedNanos}
   * (absent when the drill expired first). A failed drill's outage stays a drill outage.
   */
  record DrillOutage(long drillStartNanos, OptionalLong noticedNanos, boolean failed) implements Outage {}

  /** Closed on purpose to reconnect through a changed path. */
  record Recycle() implements Outage {}
}
