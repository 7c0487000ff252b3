package io.socketiocanary.canary;

import java.time.Instant;

/**
 * An immutable snapshot of one canary for the status API; safe to read from any thread.
 *
 * @param index the canary's number within its fleet
 * @param state where it is
 * @param transport the transport in use ("polling" / "websocket"), or null when not connected
 * @param connectedSince when the current connection (socket id) was established, or null
 * @param lastDisconnectReason label of the last disconnect reason, or null
 * @param lastDisconnectAt when it happened, or null
 * @param lastErrorReason label of the last connect-error reason, or null
 * @param lastErrorDetail a short, redacted description of that error, or null
 * @param lastErrorAt when it happened, or null
 */
public record CanaryStatus(
    int index,
    CanaryState state,
    String transport,
    Instant connectedSince,
    String lastDisconnectReason,
    Instant lastDisconnectAt,
    String lastErrorReason,
    String lastErrorDetail,
    Instant lastErrorAt) {

  static CanaryStatus initial(int index) {
    return new CanaryStatus(index, CanaryState.CONNECTING, null, null, null, null, null, null, null);
  }
}
