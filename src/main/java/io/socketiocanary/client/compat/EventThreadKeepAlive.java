package io.socketiocanary.client.compat;

import io.socket.thread.EventThread;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Modifier;

/**
 * Keeps socket.io-client's one {@code EventThread} alive for as long as the agent runs, instead of
 * a new OS thread for nearly every packet of an idle fleet.
 *
 * <p>Why: {@code EventThread.nextTick} counts the tasks it has queued in the private static
 * {@code counter}; when a task ends and the count is back to zero it shuts the single-thread
 * executor down, and the next {@code nextTick} creates a new executor and a new platform thread.
 * Every packet a transport receives (each server ping of every canary) goes through
 * {@code nextTick}, and an idle fleet's pings rarely overlap: with 2,000 idle WebSocket canaries
 * (80 pings/s) a JFR recording showed 1,434 {@code EventThread} starts in 30 s, and thread start,
 * executor creation and shutdown were most of the idle CPU.
 *
 * <p>How: {@link #acquire()} adds one to that counter (under the lock the library takes,
 * {@code EventThread.class}), so it never reaches zero and the executor, with its thread, stays.
 * {@link #release()} takes it back and queues an empty task, whose end lets the library shut the
 * executor down its own way.
 *
 * <p>Guarded like {@link SharedHeartbeatScheduler}: if a library update removed or changed the
 * field, {@link #acquire()} returns false, the library's behaviour is unchanged, and the start-up
 * self-check ({@link LibraryWorkarounds}) says so at WARN. {@code EventThreadKeepAliveTest} fails
 * loudly in that case. Thread-safe.
 */
public final class EventThreadKeepAlive {
  private static final String FIELD = "counter";

  private static final VarHandle counter;
  private static final String unavailableBecause;
  /** Holds taken by this class; guarded by {@code EventThread.class}. */
  private static int holds;

  static {
    VarHandle handle = null;
    String why = null;
    try {
      var field = EventThread.class.getDeclaredField(FIELD);
      if (field.getType() != int.class || !Modifier.isStatic(field.getModifiers())) {
        why = "field " + FIELD + " is no longer a static int";
      } else {
        handle = MethodHandles.privateLookupIn(EventThread.class, MethodHandles.lookup())
            .findStaticVarHandle(EventThread.class, FIELD, int.class);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      why = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    counter = handle;
    unavailableBecause = why;
  }

  private EventThreadKeepAlive() {}

  /** Why the EventThread cannot be kept alive, or null when it can. */
  public static String unavailableBecause() {
    return unavailableBecause;
  }

  /**
   * Keeps the EventThread's executor from shutting down when its queue runs dry.
   *
   * @return false when the library's internals changed (the library then starts a thread per
   *     burst of events, as it always did)
   */
  public static boolean acquire() {
    if (counter == null) {
      return false;
    }
    synchronized (EventThread.class) {
      counter.set((int) counter.get() + 1);
      holds++;
    }
    return true;
  }

  /** Takes back one {@link #acquire()}; the library shuts its executor down once nothing is queued. */
  public static void release() {
    if (counter == null) {
      return;
    }
    synchronized (EventThread.class) {
      if (holds == 0) {
        return;
      }
      holds--;
      counter.set((int) counter.get() - 1);
    }
    // nextTick counts this task in and, when it ends with the counter at zero, shuts down.
    EventThread.nextTick(() -> { });
  }
}
