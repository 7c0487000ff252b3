package io.socketiocanary.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a target's canaries use Socket.IO connection state recovery (offer the server's private
 * session id and the last event offset when they reconnect, as the official JS client does).
 */
public enum RecoveryMode {
  /** Recovery whenever the server's CONNECT answer carried a {@code pid}; judged only then. */
  AUTO,
  /** Recovery expected: every reconnect is judged, so a server that stops offering it counts as new sessions. */
  ON,
  /** Never offer a session: plain reconnects, nothing judged. */
  OFF;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<RecoveryMode> fromLabel(String label) {
    for (RecoveryMode mode : values()) {
      if (mode.label().equals(label)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
