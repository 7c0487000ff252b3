package io.socketiocanary.failure;

import java.util.Locale;

/**
 * Why a connect or reconnect attempt failed: the bounded value set of the {@code reason} label on
 * {@code socketio_canary_connect_errors_total}. Each value names a cause from the field guide that
 * an on-call engineer can act on; the README documents the fix each one points to.
 */
public enum ConnectErrorReason {
  TIMEOUT,
  DNS,
  CONNECTION_REFUSED,
  TLS,
  HTTP_400,
  HTTP_403,
  HTTP_404,
  HTTP_429,
  HTTP_4XX,
  HTTP_502,
  HTTP_503,
  HTTP_504,
  HTTP_5XX,
  WEBSOCKET_UPGRADE,
  SESSION_UNKNOWN,
  PROTOCOL_MISMATCH,
  CORS,
  AUTH,
  SERVER_REJECTED,
  INVALID_NAMESPACE,
  OTHER,
  /**
   * An attempt that timed out, or whose connection was cut without an answer, while the agent
   * itself was stalled (see {@code selfwatch.Stalls}): it may have been the agent, not the target,
   * that was slow or silent, so it is not counted as {@link #TIMEOUT} or {@link #OTHER}. Set by
   * the canary, never by the classifier.
   */
  AGENT_STALLED;

  /** The label value. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The reason for an HTTP status a proxy or server answered instead of the protocol. */
  public static ConnectErrorReason forHttpStatus(int status) {
    return switch (status) {
      case 400 -> HTTP_400;
      case 403 -> HTTP_403;
      case 404 -> HTTP_404;
      case 429 -> HTTP_429;
      case 502 -> HTTP_502;
      case 503 -> HTTP_503;
      case 504 -> HTTP_504;
      default -> status >= 500 ? HTTP_5XX : status >= 400 ? HTTP_4XX : OTHER;
    };
  }
}
