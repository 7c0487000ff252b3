package io.socketiocanary.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Reconnect drills: now and then one canary of a fleet has its TCP connection cut abruptly, so a
 * before/after comparison has reconnects to compare even on a healthy system. Immutable.
 *
 * @param enabled whether drills run for this target
 * @param interval mean time between drills per fleet (jittered ±20 %)
 * @param transports the fleets that are drilled
 * @param timeout a drill that has not reconnected by then failed, and the canary is reset
 */
public record DrillSettings(boolean enabled, Duration interval, List<TransportMode> transports, Duration timeout) {
  public static final DrillSettings OFF =
      new DrillSettings(false, Duration.ofMinutes(10), List.of(TransportMode.values()), Duration.ofSeconds(30));

  public DrillSettings {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    transports = List.copyOf(transports);
  }

  /** Whether the fleet of {@code mode} is drilled. */
  public boolean drills(TransportMode mode) {
    return enabled && transports.contains(mode);
  }
}
