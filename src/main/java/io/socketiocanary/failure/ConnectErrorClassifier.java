package io.socketiocanary.failure;

import io.socketiocanary.client.ConnectFailure;
import io.socketiocanary.client.HttpFailure;
import io.socketiocanary.protocol.EngineIoError;
import java.util.List;
import java.util.Locale;

/**
 * Turns a failed connect attempt into one bounded {@link ConnectErrorReason}, from the facts the
 * failure carries: the HTTP status and Engine.IO error code of a non-2xx answer (of a polling
 * request or a WebSocket handshake; both are captured the same way), and the
 * {@link ConnectFailure.Fault} read from the exception chain in {@code client}. No exception is
 * inspected here and no library message is parsed. Only the server's own words are read: a
 * namespace rejection against the user's {@code auth-error-patterns}, and an origin refusal.
 *
 * <p>The order of the checks matters: what the server or proxy said (HTTP status, Engine.IO error
 * code, namespace rejection) is more specific than the transport fault it came with.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConnectErrorClassifier {
  /** Engine.IO error codes, written once in {@link EngineIoError}. */
  static final int SESSION_ID_UNKNOWN = EngineIoError.UNKNOWN_SID.code();
  static final int BAD_REQUEST = EngineIoError.BAD_REQUEST.code();
  static final int FORBIDDEN = EngineIoError.FORBIDDEN.code();
  static final int UNSUPPORTED_PROTOCOL_VERSION = EngineIoError.UNSUPPORTED_PROTOCOL_VERSION.code();

  private final List<String> authPatterns;

  public ConnectErrorClassifier(List<String> authPatterns) {
    this.authPatterns = authPatterns.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
  }

  public ConnectErrorReason classify(ConnectFailure failure) {
    return switch (failure.kind()) {
      case TIMEOUT -> ConnectErrorReason.TIMEOUT;
      case PROTOCOL -> ConnectErrorReason.PROTOCOL_MISMATCH;
      case NAMESPACE_REJECTED -> rejection(failure);
      case TRANSPORT -> failure.http() != null ? http(failure.http()) : fault(failure.fault());
    };
  }

  private ConnectErrorReason rejection(ConnectFailure failure) {
    if (failure.fault() == ConnectFailure.Fault.INVALID_NAMESPACE) {
      return ConnectErrorReason.INVALID_NAMESPACE;
    }
    String text = failure.message() == null ? "" : failure.message().toLowerCase(Locale.ROOT);
    return authPatterns.stream().anyMatch(text::contains)
        ? ConnectErrorReason.AUTH
        : ConnectErrorReason.SERVER_REJECTED;
  }

  private static ConnectErrorReason http(HttpFailure http) {
    if (http.corsBlocked() || mentionsOrigin(http)) {
      return ConnectErrorReason.CORS;
    }
    if (http.engineIoCode().isPresent()) {
      int code = http.engineIoCode().getAsInt();
      if (code == SESSION_ID_UNKNOWN) {
        return ConnectErrorReason.SESSION_UNKNOWN;
      }
      if (code == UNSUPPORTED_PROTOCOL_VERSION) {
        return ConnectErrorReason.PROTOCOL_MISMATCH;
      }
      // A WebSocket handshake that reached engine.io without its Upgrade header: a proxy that
      // does not forward `Upgrade`/`Connection` (engine.io's TRANSPORT_HANDSHAKE_ERROR).
      if (code == BAD_REQUEST && http.websocketHandshake()) {
        return ConnectErrorReason.WEBSOCKET_UPGRADE;
      }
    }
    if (http.status() < 400) {
      return http.websocketHandshake() ? ConnectErrorReason.WEBSOCKET_UPGRADE : ConnectErrorReason.OTHER;
    }
    return ConnectErrorReason.forHttpStatus(http.status());
  }

  /**
   * The server refused the request's Origin: an {@code allowRequest} refusal is answered 403
   * (code 4) on polling and 400 on a WebSocket handshake, with the application's words as the
   * error body's message ("origin not allowed: …"). A heuristic on the server's text, like the
   * auth patterns: no status or code tells an origin refusal from any other.
   */
  private static boolean mentionsOrigin(HttpFailure http) {
    boolean refused = http.status() == 400 || http.status() == 403
        || http.engineIoCode().orElse(-1) == FORBIDDEN;
    return refused && http.message().toLowerCase(Locale.ROOT).contains("origin");
  }

  private static ConnectErrorReason fault(ConnectFailure.Fault fault) {
    return switch (fault) {
      case DNS -> ConnectErrorReason.DNS;
      case REFUSED -> ConnectErrorReason.CONNECTION_REFUSED;
      case TLS -> ConnectErrorReason.TLS;
      case TIMEOUT -> ConnectErrorReason.TIMEOUT;
      // Only without the answer's status (in `http`, classified before): nothing more to go on.
      case UPGRADE_REFUSED -> ConnectErrorReason.WEBSOCKET_UPGRADE;
      case NOT_ENGINE_IO -> ConnectErrorReason.PROTOCOL_MISMATCH;
      case CLOSED, HTTP_STATUS, INVALID_NAMESPACE, UNKNOWN -> ConnectErrorReason.OTHER;
    };
  }
}
