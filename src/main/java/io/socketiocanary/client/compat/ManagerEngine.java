package io.socketiocanary.client.compat;

import io.socket.client.Manager;
import io.socket.client.ManagerInternals;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Engine.IO socket behind a {@link Manager}: the canary needs it for what the Manager does not
 * forward, the handshake (the server's pingInterval/pingTimeout) and the outcome of polling →
 * WebSocket upgrades.
 *
 * <p>Why a workaround: socket.io-client 2.1.2 keeps it in the package-private field
 * {@code Manager.engine}, with no getter. {@link ManagerInternals}, which must live in the
 * library's package, reads it; this class is its only caller. Being compiled against the field
 * makes a rename a build failure, not silently missing metrics.
 *
 * <p>Guarded: {@code ManagerEngineTest} checks the field and that it holds the engine of an
 * attempt. At run time, a library jar that differs from the one compiled against (the field gone:
 * a {@link LinkageError}) makes {@link #of} return null, logged once at WARN: canaries still
 * connect and are counted, but report no upgrades and no server ping settings.
 *
 * <p>Thread-safe; call {@link #of} on the client's EventThread, where the field is written.
 */
public final class ManagerEngine {
  private static final Logger log = LoggerFactory.getLogger(ManagerEngine.class);
  private static final String FIELD = "engine";
  private static final AtomicBoolean warned = new AtomicBoolean();

  private ManagerEngine() {}

  /** The engine of the current or last connection attempt; null before the first one, or if the library changed. */
  public static io.socket.engineio.client.Socket of(Manager manager) {
    try {
      return ManagerInternals.engine(manager);
    } catch (LinkageError e) {
      if (warned.compareAndSet(false, true)) {
        log.atWarn().addKeyValue("reason", e.toString())
            .log("socket.io-client internals changed: canaries report no upgrades and no server ping settings");
      }
      return null;
    }
  }

  /** Why {@link #of} cannot work with the library on the class path, or null when it can. */
  public static String unavailableBecause() {
    try {
      Field field = Manager.class.getDeclaredField(FIELD);
      if (field.getType() != io.socket.engineio.client.Socket.class) {
        return "Manager." + FIELD + " is a " + field.getType().getName() + " now";
      }
      int modifiers = field.getModifiers();
      if (Modifier.isPrivate(modifiers) || Modifier.isStatic(modifiers)) {
        return "Manager." + FIELD + " is no longer a package-private instance field";
      }
      return null;
    } catch (NoSuchFieldException | RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }
}
