package io.socketiocanary.client;

/**
 * A failed connect or reconnect attempt, as plain data: what the rest of the agent sees instead
 * of the client's mix of JSONObjects and exception chains. The facts ({@link #fault}, {@link #http})
 * are read once, here in {@code client}, from exception types and the few library texts that carry
 * them ({@code compat.LibraryTexts}); the classifier decides from the facts alone.
 *
 * @param kind where in the protocol it failed
 * @param message the server's rejection message (for {@link Kind#NAMESPACE_REJECTED}) or the
 *     client's error message; may contain server-chosen text, so never a metric label
 * @param cause the transport exception chain, or null; kept for the log, never classified again
 * @param http the non-2xx HTTP answer seen during this attempt (captured with its body, or known
 *     only by its status from the exception), or null
 * @param clientRetries true when the client will retry by itself; false when it gave up on this
 *     socket (a middleware rejection or "Invalid namespace") and only the canary can
 * @param fault what failed, as far as the exception chain or the rejection tells
 */
public record ConnectFailure(Kind kind, String message, Throwable cause, HttpFailure http, boolean clientRetries,
    Fault fault) {

  /** Reads {@code fault} from the cause (and, for a rejection, the message), and the status when {@code http} is null. */
  public ConnectFailure(Kind kind, String message, Throwable cause, HttpFailure http, boolean clientRetries) {
    this(kind, message, cause, http != null ? http : FailureFacts.httpOf(cause), clientRetries,
        FailureFacts.faultOf(kind, message, cause));
  }

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

  /** What failed: the first fact the exception chain (or the server's rejection) states. */
  public enum Fault {
    /** The host name did not resolve, or the resolver did not answer within the connect timeout. */
    DNS,
    /** TCP connect refused or no route to the host. */
    REFUSED,
    /** The TLS handshake failed (trust, host name, protocol). */
    TLS,
    /** A TCP connect or a read timed out. */
    TIMEOUT,
    /**
     * The connection ended before the attempt completed, with no answer that says why (an EOF):
     * the server or something on the path closed it, an idle timeout for one.
     */
    CLOSED,
    /** A WebSocket handshake answered with something other than 101; the status is in {@code http}. */
    UPGRADE_REFUSED,
    /** A polling request answered with an error status; the status is in {@code http}. */
    HTTP_STATUS,
    /** The server answered, but not in Engine.IO v4: an unparseable payload, open packet or oversized body. */
    NOT_ENGINE_IO,
    /** The server rejected the namespace as unknown ("Invalid namespace"). */
    INVALID_NAMESPACE,
    /** Nothing the agent recognises: a server rejection's own words, or an exception of another kind. */
    UNKNOWN
  }
}
