package io.socketiocanary.client.compat;

import io.socket.client.SocketIOException;
import io.socket.engineio.client.EngineIOException;
import java.io.IOException;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The only place the agent reads meaning out of message texts: fixed texts the Socket.IO
 * libraries write where they carry the fact in nothing else (no type, no field). Everything the
 * agent writes itself carries its facts as types and fields instead.
 *
 * <p>Each text is quoted with where the library writes it; {@code LibraryTextsTest} has one test
 * per text, so a library update that rewords one fails there, not silently in the metrics. When a
 * text no longer matches, the failure falls back to a less specific reason: {@code other} (logged
 * once at WARN with the detail), or {@code server_rejected} for an unknown namespace.
 *
 * <p>Stateless and thread-safe.
 */
public final class LibraryTexts {
  /**
   * engine.io-client 2.1.0, {@code PollingXHR.Request#create}'s {@code onResponse}:
   * {@code self.onError(new IOException(Integer.toString(response.code())))}. The polling
   * transport then wraps it in {@code EngineIOException("xhr poll error", cause)}.
   */
  private static final Pattern BARE_STATUS = Pattern.compile("\\d{3}");

  /**
   * engine.io-client 2.1.0, {@code Parser}: {@code new Packet<String>(Packet.ERROR, "parser error")}
   * for a payload it cannot decode; {@code Socket#onPacket} turns that packet into
   * {@code EngineIOException("server error")} whose {@code code} is the packet's data.
   */
  static final String PARSER_ERROR = "parser error";

  /**
   * socket.io-client 2.1.2, {@code Manager#open}'s {@code onTimeout}:
   * {@code socket.emit(Engine.EVENT_ERROR, new SocketIOException("timeout"))}.
   */
  static final String CONNECT_TIMEOUT = "timeout";

  /**
   * socket.io-client 2.1.2, {@code Socket#onpacket}, a CONNECT without {@code sid}: {@code new
   * SocketIOException("It seems you are trying to reach a Socket.IO server in v2.x with a v3.x
   * client, which is not possible")}.
   */
  static final String V2_SERVER = "It seems you are trying to reach a Socket.IO server in v2.x";

  /**
   * The Socket.IO server (Node {@code socket.io} 4.x, {@code dist/client.js}, {@code Client#connect}
   * for a namespace that does not exist): CONNECT_ERROR with {@code {message: "Invalid namespace"}}.
   * The Java client hands it on as the JSONObject's {@code message}.
   */
  static final String INVALID_NAMESPACE = "invalid namespace";

  private LibraryTexts() {}

  /** The HTTP status of a polling request's error, when {@code t} is the one the library throws. */
  public static OptionalInt pollingStatus(Throwable t) {
    String message = t.getMessage();
    if (t instanceof IOException && message != null && BARE_STATUS.matcher(message).matches()) {
      return OptionalInt.of(Integer.parseInt(message));
    }
    return OptionalInt.empty();
  }

  /** True when the engine could not parse what the server sent (not Engine.IO v4). */
  public static boolean isParserError(Throwable t) {
    return t instanceof EngineIOException e && PARSER_ERROR.equals(String.valueOf(e.code));
  }

  /** True for the Manager's own connect timeout (no handshake within {@code timeout}). */
  public static boolean isConnectTimeout(Object error) {
    return error instanceof SocketIOException e && CONNECT_TIMEOUT.equals(e.getMessage());
  }

  /** True when the client found a Socket.IO v2 server (its CONNECT answer has no sid). */
  public static boolean isV2Server(Object error) {
    return error instanceof SocketIOException e && e.getMessage() != null && e.getMessage().startsWith(V2_SERVER);
  }

  /** True when a namespace rejection is the server's "no such namespace". */
  public static boolean isInvalidNamespace(String rejection) {
    return rejection != null && rejection.toLowerCase(Locale.ROOT).equals(INVALID_NAMESPACE);
  }
}
