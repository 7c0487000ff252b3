package io.socketiocanary.canary;

import java.time.Duration;

/**
 * One of a canary's timers (watchdog, retry, probe …): at most one action pending, replaced by
 * {@link #start} and dropped by {@link #cancel}. An action whose timer was cancelled or replaced
 * never runs, even if its expiry was already queued. Confined to the canary's context.
 */
final class TimerSlot {
  private final Timers timers;
  /** The pending timer; {@link #IDLE} when none. */
  private Timers.Timer pending = IDLE;

  private static final Timers.Timer IDLE = () -> {};

  TimerSlot(Timers timers) {
    this.timers = timers;
  }

  /** Cancels what was pending and runs {@code action} after {@code delay}. */
  void start(Duration delay, Runnable action) {
    cancel();
    Timers.Timer[] self = new Timers.Timer[1];
    self[0] = timers.schedule(delay, () -> {
      if (pending == self[0]) {
        pending = IDLE;
        action.run();
      }
    });
    pending = self[0];
  }

  void cancel() {
    pending.cancel();
    pending = IDLE;
  }

  boolean pending() {
    return pending != IDLE;
  }
}
