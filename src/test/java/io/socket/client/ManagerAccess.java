package io.socket.client;

/**
 * Test-only access to the Engine.IO socket behind a {@link Manager}, which the Java client keeps
 * package-private. The demo tests need it to see the transport upgrade and the server's pings.
 */
public final class ManagerAccess {
  private ManagerAccess() {}

  /** The current engine of the manager, or null before it opened one; read it on the EventThread. */
  public static io.socket.engineio.client.Socket engine(Manager manager) {
    return manager.engine;
  }
}
