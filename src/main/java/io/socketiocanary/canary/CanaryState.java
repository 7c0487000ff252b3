package io.socketiocanary.canary;

import java.util.Locale;

/** Where a canary is in its life; shown by the status API. */
public enum CanaryState {
  /** First connect attempt in progress. */
  CONNECTING,
  /** The namespace is connected. */
  CONNECTED,
  /** Disconnected; the client is retrying with its backoff. */
  RECONNECTING,
  /** Disconnected; the client would not retry, so the canary waits its own backoff. */
  WAITING_RETRY,
  /** Stopped by the agent. */
  STOPPED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
