package io.socket.client;

/**
 * Reads the Engine.IO socket behind a {@link Manager}, which socket.io-client 2.1 keeps in a
 * package-private field. Only {@code io.socketiocanary.client.compat.ManagerEngine} calls this:
 * why it is needed, its guard and its fallback are written there.
 *
 * <p>It lives in the library's package for package-private access: a compile-time dependency
 * instead of reflection, so a renamed field fails the build.
 */
public final class ManagerInternals {
  private ManagerInternals() {}

  /** The engine of the current or last connection attempt, or null before the first one. */
  public static io.socket.engineio.client.Socket engine(Manager manager) {
    return manager.engine;
  }
}
