package io.socketiocanary.failure;

import io.socketiocanary.client.ConnectFailure;
import io.socketiocanary.client.HttpFailure;
import io.socketiocanary.protocol.EngineIoError;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns a failed connect attempt into one bounded {@link ConnectErrorReason}. The order of the
 * checks matters: what the server or proxy said (HTTP status, Engine.IO error code, namespace
 * rejection) is more specific than the exception the client wrapped it in.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConnectErrorClassifier {
  /** Engine.IO error codes, written once in {@link EngineIoError}. */
  static final int SESSION_ID_UNKNOWN = EngineIoError.UNKNOWN_SID.code();
  static final int BAD_REQUEST = EngineIoError.BAD_REQUEST.code();
  static final int FORBIDDEN = EngineIoError.FORBIDDEN.code();
  static final int UNSUPPORTED_PROTOCOL_VERSION = EngineIoError.UNSUPPORTED_PROTOCOL_VERSION.code();

  /** OkHttp: "Expected HTTP 101 response but was '400 Bad Request'". */
  private static final Pattern NOT_101 = Pattern.compile("Expected HTTP 101 response but was '(\\d{3})");
  /** engine.io-client's polling transport: an IOException whose message is the bare status. */
  private static final Pattern BARE_STATUS = Pattern.compile("^\\d{3}$");

  private final List<String> authPatterns;

  public ConnectErrorClassifier(List<String> authPatterns) {
    this.authPatterns = authPatterns.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
  }

  public ConnectErrorReason classify(ConnectFailure failure) {
    return switch (failure.kind()) {
      case TIMEOUT -> ConnectErrorReason.TIMEOUT;
      case PROTOCOL -> ConnectErrorReason.PROTOCOL_MISMATCH;
      case NAMESPACE_REJECTED -> rejection(failure.message());
      case TRANSPORT -> failure.http() != null ? http(failure.http()) : transport(failure);
    };
  }

  private ConnectErrorReason rejection(String message) {
    String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (text.equals("invalid namespace")) {
      return ConnectErrorReason.INVALID_NAMESPACE;
    }
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
   * The server refused the request's Origin: engine.io's {@code cors}/{@code allowRequest} answer
   * 403 (code 4) on polling and 400 on a WebSocket handshake, saying "origin not allowed".
   */
  private static boolean mentionsOrigin(HttpFailure http) {
    boolean refused = http.status() == 400 || http.status() == 403
        || http.engineIoCode().orElse(-1) == FORBIDDEN;
    return refused && http.message().toLowerCase(Locale.ROOT).contains("origin");
  }

  private static ConnectErrorReason transport(ConnectFailure failure) {
    for (Throwable t = failure.cause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnknownHostException) {
        return ConnectErrorReason.DNS;
      }
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return ConnectErrorReason.CONNECTION_REFUSED;
      }
      if (t instanceof SSLException) {
        return ConnectErrorReason.TLS;
      }
      if (t instanceof SocketTimeoutException) {
        return ConnectErrorReason.TIMEOUT;
      }
      String message = t.getMessage() == null ? "" : t.getMessage();
      Matcher not101 = NOT_101.matcher(message);
      if (t instanceof ProtocolException && not101.find()) {
        int status = Integer.parseInt(not101.group(1));
        return status >= 400 ? ConnectErrorReason.forHttpStatus(status) : ConnectErrorReason.WEBSOCKET_UPGRADE;
      }
      if (BARE_STATUS.matcher(message).matches()) {
        return ConnectErrorReason.forHttpStatus(Integer.parseInt(message));
      }
      if (message.equals("parser error")) {
        // engine.io-client could not parse the polling payload: an Engine.IO 3 (Socket.IO v2) server.
        return ConnectErrorReason.PROTOCOL_MISMATCH;
      }
    }
    return ConnectErrorReason.OTHER;
  }
}
