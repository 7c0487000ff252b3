package io.socketiocanary.config;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The Socket.IO client's reconnection back-off. Immutable and thread-safe.
 *
 * @param delay first delay before reconnecting, positive
 * @param delayMax ceiling of the exponential back-off, at least {@code delay}
 * @param randomization jitter factor in [0, 1)
 * @param attempts maximum attempts before giving up; empty means retry forever
 */
public record ReconnectionSettings(
    Duration delay, Duration delayMax, double randomization, OptionalInt attempts) {
  public ReconnectionSettings {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(delayMax, "delayMax");
    Objects.requireNonNull(attempts, "attempts");
  }
}
