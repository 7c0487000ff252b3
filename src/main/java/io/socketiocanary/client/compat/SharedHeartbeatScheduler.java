package io.socketiocanary.client.compat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One heartbeat scheduler for every Engine.IO socket of the agent, instead of the library's one
 * thread per socket.
 *
 * <p>Why: engine.io-client 2.1.0 gives each {@code io.socket.engineio.client.Socket} its own
 * single-thread {@code ScheduledExecutorService} ({@code engine.io-client.heartbeat-N}), created
 * by the private {@code createHeartbeatScheduler()} and held in the private field
 * {@code heartbeatScheduler}, only to arm the ping-timeout timer. With 5,000 canaries that is
 * 5,000 OS threads doing nothing. The library offers no option to share it, and the engine is a
 * private subclass inside {@code Manager}, so it cannot be subclassed either.
 *
 * <p>How: {@link #install} writes one shared scheduler into that private field of a new engine
 * before its handshake. The engine's {@code getHeartbeatScheduler()} creates its own only when the
 * field is null or {@code isShutdown()}, and its {@code onClose} calls {@code shutdown()}: the
 * instance handed to engines therefore ignores shutdown and never reports itself shut down.
 * Timers only hand the timeout to the client's EventThread, so one thread serves every socket.
 *
 * <p>Guarded: the field and method are checked once, when this class loads; if a library update
 * renamed them, {@link #install} returns false, the engine keeps its own thread (the library's
 * behaviour), and the start-up self-check ({@link LibraryWorkarounds}) says so at WARN.
 * {@code SharedHeartbeatSchedulerTest} fails loudly in that case.
 *
 * <p>Thread-safe. {@link #install} must run on the client's EventThread, before the engine's
 * handshake (where the library writes and reads the field).
 */
public final class SharedHeartbeatScheduler {
  private static final String FIELD = "heartbeatScheduler";
  private static final String GETTER = "getHeartbeatScheduler";

  private static final VarHandle field;
  private static final String unavailableBecause;
  private static final ScheduledThreadPoolExecutor delegate;
  private static final ScheduledExecutorService forEngines;

  static {
    VarHandle handle = null;
    String why = null;
    try {
      Class<?> engine = io.socket.engineio.client.Socket.class;
      Method getter = engine.getDeclaredMethod(GETTER);
      if (getter.getReturnType() != ScheduledExecutorService.class) {
        why = GETTER + "() no longer returns a ScheduledExecutorService";
      } else if (Modifier.isStatic(engine.getDeclaredField(FIELD).getModifiers())) {
        why = "field " + FIELD + " became static";
      } else {
        handle = MethodHandles.privateLookupIn(engine, MethodHandles.lookup())
            .findVarHandle(engine, FIELD, ScheduledExecutorService.class);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      why = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    field = handle;
    unavailableBecause = why;
    if (handle != null) {
      delegate = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "canary-engine-heartbeat");
        t.setDaemon(true);
        return t;
      });
      // Every packet re-arms the ping timer: without this, cancelled timers pile up in the queue.
      delegate.setRemoveOnCancelPolicy(true);
      forEngines = new ShutdownIgnoring(delegate);
    } else {
      delegate = null;
      forEngines = null;
    }
  }

  private SharedHeartbeatScheduler() {}

  /** True when engines can be given the shared scheduler; see {@link #unavailableBecause()}. */
  public static boolean available() {
    return field != null;
  }

  /** Why the shared scheduler cannot be installed, or null when it can. */
  public static String unavailableBecause() {
    return unavailableBecause;
  }

  /**
   * Gives {@code engine} the shared scheduler unless it already has one of its own.
   *
   * @return false when the library's internals changed and the engine keeps its own thread
   */
  public static boolean install(io.socket.engineio.client.Socket engine) {
    if (field == null) {
      return false;
    }
    field.compareAndSet(engine, null, forEngines);
    return field.get(engine) == forEngines;
  }

  /** The instance engines see (shutdown is a no-op); null when {@link #available()} is false. */
  public static ScheduledExecutorService forEngines() {
    return forEngines;
  }

  /**
   * Delegates scheduling; {@code shutdown} and {@code shutdownNow} are no-ops because each engine
   * calls them on close, and the scheduler belongs to all of them.
   */
  private static final class ShutdownIgnoring extends AbstractExecutorService implements ScheduledExecutorService {
    private final ScheduledExecutorService delegate;

    ShutdownIgnoring(ScheduledExecutorService delegate) {
      this.delegate = delegate;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return delegate.schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      return delegate.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
      return delegate.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
      return delegate.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
      delegate.execute(command);
    }

    @Override
    public void shutdown() {
      // An engine closing: the shared scheduler carries on for the others.
    }

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return false;
    }
  }
}
