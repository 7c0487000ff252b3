package io.socketiocanary.protocol;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Engine.IO's error codes and messages (engine.io/lib/server.ts), sent as an HTTP 400 with body
 * {@code {"code":N,"message":"..."}} (see {@link EngineIoErrorBody}).
 */
public enum EngineIoError {
  UNKNOWN_TRANSPORT(0, "Transport unknown"),
  UNKNOWN_SID(1, "Session ID unknown"),
  BAD_HANDSHAKE_METHOD(2, "Bad handshake method"),
  BAD_REQUEST(3, "Bad request"),
  FORBIDDEN(4, "Forbidden"),
  UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version");

  private final int code;
  private final String message;

  EngineIoError(int code, String message) {
    this.code = code;
    this.message = message;
  }

  public int code() {
    return code;
  }

  /** Engine.IO's own words for the code. */
  public String message() {
    return message;
  }

  /** The error body engine.io sends: {@code {"code":1,"message":"Session ID unknown"}}. */
  public String body() {
    return new JsonObject().put("code", code).put("message", message).encode();
  }

  public static Optional<EngineIoError> forCode(int code) {
    for (EngineIoError error : values()) {
      if (error.code == code) {
        return Optional.of(error);
      }
    }
    return Optional.empty();
  }
}
