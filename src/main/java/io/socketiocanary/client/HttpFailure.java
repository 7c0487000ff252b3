package io.socketiocanary.client;

import io.socketiocanary.protocol.EngineIoErrorBody;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A non-2xx HTTP answer seen on the canary's path: a polling request's status, or the answer to
 * a WebSocket handshake that was not 101. The Java client keeps only the status (inside an
 * exception message) and discards the body, so the agent captures both where they pass.
 *
 * @param status the HTTP status
 * @param engineIoCode the {@code code} of an Engine.IO error body such as
 *     {@code {"code":1,"message":"Session ID unknown"}}, when the body was one
 * @param message the Engine.IO error message, or the first line of another body, truncated
 * @param websocketHandshake true when the answer was to a WebSocket upgrade request
 * @param corsBlocked true when the answer was fine for the Java client but a browser at the
 *     target's origin would have rejected it (no matching Access-Control-Allow-Origin)
 */
public record HttpFailure(int status, OptionalInt engineIoCode, String message, boolean websocketHandshake,
    boolean corsBlocked) {

  public HttpFailure(int status, OptionalInt engineIoCode, String message, boolean websocketHandshake) {
    this(status, engineIoCode, message, websocketHandshake, false);
  }

  static final int MAX_MESSAGE = 200;

  /** The failure an answer with {@code status} and {@code body} (an Engine.IO error body or any other) shows. */
  static HttpFailure fromAnswer(int status, String body, boolean websocketHandshake) {
    String text = body == null ? "" : body;
    Optional<EngineIoErrorBody> error = EngineIoErrorBody.parse(text);
    OptionalInt code = error.map(e -> OptionalInt.of(e.code())).orElse(OptionalInt.empty());
    String summary = error.map(EngineIoErrorBody::message).orElseGet(() -> firstLine(text));
    return new HttpFailure(status, code, truncate(summary), websocketHandshake);
  }

  private static String firstLine(String text) {
    String trimmed = text.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
  }

  private static String truncate(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
  }
}
