package io.socket.client;

/**
 * Reads the Engine.IO socket behind a {@link Manager}, which socket.io-client 2.1 keeps in a
 * package-private field. The agent needs it for what the Manager does not forward: the
 * handshake (server pingInterval/pingTimeout) and the outcome of polling → WebSocket upgrades.
 *
 * <p>Living in the library's package makes this a compile-time dependency instead of
 * reflection: if a new client version renames the field, the build fails rather than the agent
 * silently losing metrics. Call it on the client's EventThread, where the field is written.
 */
public final class ManagerInternals {
  private ManagerInternals() {}

  /** The engine of the current or last connection attempt, or null before the first one. */
  public static io.socket.engineio.client.Socket engine(Manager manager) {
    return manager.engine;
  }
}
