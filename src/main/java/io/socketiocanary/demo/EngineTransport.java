package io.socketiocanary.demo;

import io.socketiocanary.protocol.EnginePacket;
import java.util.List;

/**
 * What an {@link EngineSession} needs from a transport. Implementations are confined to the
 * server's Vert.x context, like the session that owns them.
 */
interface EngineTransport {

  String name();

  /** Whether {@link #send} can deliver now (a long-poll is held, or the WebSocket is open). */
  boolean writable();

  /** Delivers packets; only called when {@link #writable()}. */
  void send(List<EnginePacket> packets);

  /** Closes the transport because its session ends; it no longer calls back the session. */
  void close();
}
