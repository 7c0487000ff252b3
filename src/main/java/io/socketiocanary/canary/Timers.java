package io.socketiocanary.canary;

import java.time.Duration;
import java.time.Instant;

/**
 * The canary's clock and timers: Vert.x timers on the fleet's context in the agent, a manual clock
 * in the state machine's tests. A timer's action runs on the same context as the canary.
 */
interface Timers {
  /** Runs {@code action} once after {@code delay}, unless cancelled first. */
  Timer schedule(Duration delay, Runnable action);

  /** Monotonic time, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Wall-clock time, for what the status API and history show. */
  Instant now();

  /** A scheduled action. */
  interface Timer {
    /** Keeps the action from running; harmless after it ran. */
    void cancel();
  }
}
