package io.socketiocanary.client;

/**
 * A failed connect or reconnect attempt, as plain data: what the rest of the agent sees instead
 * of the client's mix of JSONObjects and exception chains.
 *
 * @param kind where in the protocol it failed
 * @param message the server's rejection message (for {@link Kind#NAMESPACE_REJECTED}) or the
 *     client's error message; may contain server-chosen text, so never a metric label
 * @param cause the transport exception chain, or null
 * @param http the non-2xx HTTP answer seen during this attempt, or null
 * @param clientRetries true when the client will retry by itself; false when it gave up on this
 *     socket (a middleware rejection or "Invalid namespace") and only the canary can
 */
public record ConnectFailure(Kind kind, String message, Throwable cause, HttpFailure http, boolean clientRetries) {

  /** Where the attempt failed. */
  public enum Kind {
    /** The Engine.IO transport could not be opened: network, TLS, HTTP or WebSocket handshake. */
    TRANSPORT,
    /** The engine opened but no handshake completed within the connect timeout. */
    TIMEOUT,
    /** The server answered the namespace CONNECT with CONNECT_ERROR (middleware or namespace). */
    NAMESPACE_REJECTED,
    /** The server speaks another protocol generation (a Socket.IO v2 server). */
    PROTOCOL
  }
}
