package io.socketiocanary.client;

import java.io.IOException;

/**
 * A WebSocket handshake answered with something other than {@code 101 Switching Protocols}: the
 * status as a field, so nobody has to read it back out of the message. engine.io-client wraps it
 * in {@code EngineIOException("websocket error", this)}.
 */
final class WebSocketUpgradeRefused extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;

  WebSocketUpgradeRefused(int status, String reasonPhrase) {
    super("WebSocket handshake answered " + status + " " + reasonPhrase + " instead of 101");
    this.status = status;
  }

  int status() {
    return status;
  }
}
