package io.socketiocanary.config;

import java.util.Optional;

/**
 * How a canary reaches its target. Each mode gets its own canaries, so a broken upgrade path
 * shows up apart from a broken WebSocket. Immutable and thread-safe.
 */
public enum TransportMode {
  /** WebSocket only, no long-polling fallback. */
  WEBSOCKET("websocket"),
  /** HTTP long-polling only, never upgraded. */
  POLLING("polling"),
  /** Starts with long-polling and upgrades to WebSocket, as browsers do by default. */
  POLLING_UPGRADE("polling_upgrade");

  private final String label;

  TransportMode(String label) {
    this.label = label;
  }

  /** The name used in configuration files and in the {@code transport} metric label. */
  public String label() {
    return label;
  }

  /** The mode whose {@link #label()} is exactly {@code label}, if any. */
  public static Optional<TransportMode> fromLabel(String label) {
    for (TransportMode mode : values()) {
      if (mode.label.equals(label)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
