package io.socketiocanary.failure;

import java.util.Locale;

/**
 * Why a connected canary stopped being connected: the bounded value set of the {@code reason}
 * label on {@code socketio_canary_disconnects_total}.
 */
public enum DisconnectReason {
  /** The transport was closed: a proxy or server closed the TCP connection or the WebSocket. */
  TRANSPORT_CLOSE,
  /** The transport failed: a read/write error, or a long-poll answered with an HTTP error. */
  TRANSPORT_ERROR,
  /** No Engine.IO ping within pingInterval + pingTimeout: the path went silent. */
  PING_TIMEOUT,
  /** The server disconnected the socket ({@code io server disconnect}); clients do not retry by themselves. */
  SERVER_DISCONNECT,
  /** The agent closed the connection itself (shutdown, reload). */
  CLIENT_DISCONNECT,
  /** The liveness probe was not acknowledged in time, so the canary dropped the connection. */
  PROBE_TIMEOUT,
  /**
   * A ping timeout, probe timeout or transport cut that came while the agent itself was stalled
   * (see {@code selfwatch.Stalls}): the agent may have caused it, so it is not charged to the
   * target, and its lifetime stays out of the lifetime histogram. Never from the client.
   */
  AGENT_STALLED;

  /** The label value. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Maps the reason string the Java client passes with its {@code disconnect} event. Unknown
   * strings (a newer client) count as {@link #TRANSPORT_ERROR}: something broke the transport.
   */
  public static DisconnectReason fromClientReason(String reason) {
    if (reason == null) {
      return TRANSPORT_ERROR;
    }
    return switch (reason) {
      case "transport close" -> TRANSPORT_CLOSE;
      case "ping timeout" -> PING_TIMEOUT;
      case "io server disconnect" -> SERVER_DISCONNECT;
      case "io client disconnect", "forced close" -> CLIENT_DISCONNECT;
      default -> TRANSPORT_ERROR;
    };
  }
}
