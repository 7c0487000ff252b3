package io.socketiocanary.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The liveness probe a canary emits after {@code idle} of silence. Immutable and thread-safe.
 *
 * @param event Socket.IO event to emit with an acknowledgement; empty means no probe
 * @param timeout how long to wait for the acknowledgement
 */
public record ProbeSettings(String event, Duration timeout) {
  public ProbeSettings {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** Whether a probe is sent at all. */
  public boolean enabled() {
    return !event.isEmpty();
  }
}
