package io.socketiocanary.client.compat;

import io.socket.emitter.Emitter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Gives the client library's emitters a small map of their listeners instead of a
 * {@code ConcurrentHashMap}: about a kilobyte less heap per canary.
 *
 * <p>Why: every {@link Emitter} of engine.io-client 2.1.0 (each canary has four or more: the
 * Manager, the namespace Socket, the engine of the current attempt and its transports) keeps its
 * listeners in the private field {@code callbacks}, a {@code ConcurrentHashMap} from event name to
 * a queue of listeners, about six names each. The maps, their 16-slot tables and their nodes were
 * 1.3 of the 10.8 kB one idle WebSocket canary holds (class histogram, 2,000 canaries). Nothing in
 * the library lets them be shared or sized. The queues stay: the library creates them itself.
 *
 * <p>How: {@link #install} replaces that field's map with a {@link SmallConcurrentMap} holding the
 * same entries (the same queue objects). The library only calls {@code get}, {@code putIfAbsent},
 * {@code remove} and {@code clear} on it, all of which the small map implements with the same
 * meaning.
 *
 * <p>Guarded: the field is checked once, when this class loads; if a library update renamed it,
 * changed its type or made it final, {@link #install} returns false, the emitter keeps the
 * library's map, and the start-up self-check ({@link LibraryWorkarounds}) says so at WARN.
 * {@code CompactEmitterMapsTest} fails loudly in that case.
 *
 * <p>Thread-safe. Call {@link #install} where the emitter is not being subscribed to from another
 * thread at the same moment: before it is shared, or on the client's EventThread, where the
 * library subscribes (a listener added to the old map during the copy would be lost).
 */
public final class CompactEmitterMaps {
  private static final String FIELD = "callbacks";

  private static final VarHandle field;
  private static final String unavailableBecause;

  static {
    VarHandle handle = null;
    String why = null;
    try {
      Field f = Emitter.class.getDeclaredField(FIELD);
      int modifiers = f.getModifiers();
      if (f.getType() != ConcurrentMap.class) {
        why = "Emitter." + FIELD + " is a " + f.getType().getName() + " now";
      } else if (Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers)) {
        why = "Emitter." + FIELD + " is no longer a non-final instance field";
      } else {
        handle = MethodHandles.privateLookupIn(Emitter.class, MethodHandles.lookup())
            .findVarHandle(Emitter.class, FIELD, ConcurrentMap.class);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      why = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    field = handle;
    unavailableBecause = why;
  }

  private CompactEmitterMaps() {}

  /** True when emitters can be given the small map; see {@link #unavailableBecause()}. */
  public static boolean available() {
    return field != null;
  }

  /** Why the small map cannot be installed, or null when it can. */
  public static String unavailableBecause() {
    return unavailableBecause;
  }

  /**
   * Replaces {@code emitter}'s listener map with a small copy of it, unless it already has one.
   *
   * @return false when the library's internals changed (or the map is not the library's) and the
   *     emitter keeps its map
   */
  public static boolean install(Emitter emitter) {
    if (field == null) {
      return false;
    }
    Object current = field.get(emitter);
    if (current instanceof SmallConcurrentMap) {
      return true;
    }
    if (!(current instanceof ConcurrentHashMap<?, ?> map)) {
      return false;
    }
    return field.compareAndSet(emitter, current, new SmallConcurrentMap<Object, Object>(map));
  }

  /** True when {@code emitter} holds the small map (for the tests). */
  static boolean installed(Emitter emitter) {
    return field != null && field.get(emitter) instanceof SmallConcurrentMap;
  }
}
