package io.socketiocanary.demo;

/** The three ways a canary reaches a Socket.IO server, as the Java client's options spell them. */
enum TransportMode {
  WEBSOCKET(false, "websocket"),
  POLLING(false, "polling"),
  POLLING_UPGRADE(true, "polling", "websocket");

  final boolean upgrade;
  final String[] transports;

  TransportMode(boolean upgrade, String... transports) {
    this.upgrade = upgrade;
    this.transports = transports;
  }
}
