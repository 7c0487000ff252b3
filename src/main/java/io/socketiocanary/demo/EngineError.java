package io.socketiocanary.demo;

/**
 * The Engine.IO handshake errors the demo server sends, with engine.io's codes and messages, as
 * an HTTP 400 with body {@code {"code":N,"message":"..."}}.
 */
enum EngineError {
  UNKNOWN_TRANSPORT(0, "Transport unknown"),
  UNKNOWN_SID(1, "Session ID unknown"),
  BAD_HANDSHAKE_METHOD(2, "Bad handshake method"),
  BAD_REQUEST(3, "Bad request"),
  UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version");

  private final int code;
  private final String message;

  EngineError(int code, String message) {
    this.code = code;
    this.message = message;
  }

  String json() {
    return "{\"code\":" + code + ",\"message\":\"" + message + "\"}";
  }
}
