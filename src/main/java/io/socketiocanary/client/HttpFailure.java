package io.socketiocanary.client;

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
}
