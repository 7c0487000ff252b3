package io.socketiocanary.selfwatch;

import java.time.Duration;

/**
 * When the agent itself was stalled: what a canary asks before it charges a timeout, a dead
 * connection or a slow reconnect to its target. Thread-safe.
 */
public interface Stalls {
  /**
   * A stall shorter than this excuses nothing: a busy two-core machine delays timers by a few
   * hundred milliseconds, while a connect timeout or a ping timeout is seconds.
   */
  Duration THRESHOLD = Duration.ofSeconds(1);

  /** For fleets run without a self-watch (tests): the agent never stalls. */
  Stalls NONE = (fromNanos, toNanos) -> false;

  /**
   * Whether some loop the canaries depend on made no progress for at least {@link #THRESHOLD} at
   * a moment within [{@code fromNanos}, {@code toNanos}] ({@link System#nanoTime()} values),
   * including a stall still going on.
   */
  boolean stalledDuring(long fromNanos, long toNanos);
}
