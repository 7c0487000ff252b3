package io.socketiocanary.client.compat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import io.socket.thread.EventThread;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Makes socket.io-client's one {@code EventThread} the thread of a one-loop Netty group, the loop
 * every WebSocket canary's I/O then runs on.
 *
 * <p>Why: the library hands every packet a transport receives to its EventThread
 * ({@code EventThread.exec}), and the engine's answer goes back to the socket's event loop. With
 * the two on different threads each server ping of an idle WebSocket canary wakes three threads
 * (the loop reads the ping, the EventThread handles it, the loop writes the pong), and those
 * wake-ups were a large part of a WebSocket fleet's idle CPU. On one thread, {@code exec} finds itself on
 * the EventThread and runs the library inline, and the pong is written inline: one wake-up per
 * ping, as in the Node client. Measured (5,000 idle WebSocket canaries, image flags): Java 17
 * 3.80 and 3.80 % of a core before, 2.27 and 2.10 % after; Java 25 5.86 → 3.13 %.
 *
 * <p>How: the group's thread factory makes the thread with the library's private
 * {@code EventThread(Runnable)} constructor; {@link #install()} then writes that thread and an
 * executor for the loop into the library's private statics {@code thread} and {@code service}
 * (under {@code EventThread.class}, the lock the library takes), and holds
 * {@link EventThreadKeepAlive}, so the library's "queue ran dry" shutdown never runs while it is
 * installed. {@link Installed#close()} gives both back: the next {@code nextTick} makes the
 * library's own executor and thread again.
 *
 * <p>What it costs: every WebSocket's I/O shares one thread with the library's events (before: one
 * loop per core, beside the same one EventThread that every event already waited for). A reconnect
 * storm of 5,000 WebSockets came back no slower (Java 17 3.6 s against 3.8–3.9 s, Java 25 4.3 s
 * against 4.7 s).
 *
 * <p>Guarded: the constructor and static fields are looked up when this class loads (a field no
 * longer static, renamed or retyped fails the lookup); if a library update
 * changed them, {@link #install()} returns empty, the agent keeps a loop per core and the
 * library's own EventThread (three wake-ups per ping), and the start-up self-check
 * ({@link LibraryWorkarounds}) says so at WARN. {@code EventThreadLoopTest} fails loudly then.
 * Thread-safe.
 */
public final class EventThreadLoop {
  private static final Constructor<EventThread> constructor;
  private static final VarHandle thread;
  private static final VarHandle service;
  private static final String unavailableBecause;
  /** How long {@link #install()} waits for the library's own EventThread to wind down. */
  static final long PATIENCE_MILLIS = 2000;

  static {
    Constructor<EventThread> c = null;
    VarHandle t = null;
    VarHandle s = null;
    String why = EventThreadKeepAlive.unavailableBecause();
    try {
      if (why == null) {
        c = EventThread.class.getDeclaredConstructor(Runnable.class);
        c.setAccessible(true);
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(EventThread.class, MethodHandles.lookup());
        t = lookup.findStaticVarHandle(EventThread.class, "thread", EventThread.class);
        s = lookup.findStaticVarHandle(EventThread.class, "service", ExecutorService.class);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      why = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    constructor = why == null ? c : null;
    thread = why == null ? t : null;
    service = why == null ? s : null;
    unavailableBecause = why;
  }

  private EventThreadLoop() {}

  /** Why the EventThread cannot be a loop, or null when it can. */
  public static String unavailableBecause() {
    return unavailableBecause;
  }

  /** A one-loop group whose thread is the library's EventThread while installed. */
  public record Installed(EventLoopGroup group, EventThread eventThread) implements AutoCloseable {
    /**
     * Gives the library its own EventThread back (if this one is still the library's) and shuts the
     * loop down; tasks the library queued meanwhile run on a new thread of its own.
     */
    @Override
    public void close() {
      synchronized (EventThread.class) {
        if (thread.get() == eventThread) {
          thread.set(null);
          service.set(null);
        }
      }
      EventThreadKeepAlive.release();
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
  }

  /**
   * Starts the loop and makes its thread the library's EventThread; empty when the library's
   * internals changed or another EventThread keeps running (another client in this JVM holds it),
   * and the caller then keeps loops of its own. Waits up to {@link #PATIENCE_MILLIS} for a
   * library thread that is winding down (a client closed just before) to end.
   */
  public static Optional<Installed> install() {
    if (unavailableBecause != null) {
      return Optional.empty();
    }
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EventThreadLoop::newEventThread, NioIoHandler.newFactory());
    try {
      EventExecutor loop = group.next();
      EventThread loopThread = (EventThread) loop.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MILLIS);
      do {
        synchronized (EventThread.class) {
          // Held only once in place: a hold taken earlier would keep a winding-down thread alive.
          if (service.get() == null && EventThreadKeepAlive.acquire()) {
            thread.set(loopThread);
            service.set(new LoopExecutor(loop));
            return Optional.of(new Installed(group, loopThread));
          }
        }
        Thread.sleep(10);
      } while (System.nanoTime() < deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Falls through: the caller keeps its own loops.
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    return Optional.empty();
  }

  private static Thread newEventThread(Runnable loopBody) {
    try {
      EventThread t = constructor.newInstance(loopBody);
      t.setName("EventThread");
      t.setDaemon(true);
      return t;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make the library's EventThread", e);
    }
  }

  /**
   * The loop as the library's executor. Its {@code shutdown} (which the library calls when its
   * queue runs dry, never while {@link EventThreadKeepAlive} holds it) does nothing: the loop is
   * the WebSockets' too, and {@link Installed#close()} ends it.
   */
  private static final class LoopExecutor extends AbstractExecutorService {
    private final EventExecutor loop;

    LoopExecutor(EventExecutor loop) {
      this.loop = loop;
    }

    @Override
    public void execute(Runnable command) {
      loop.execute(command);
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return loop.isShuttingDown();
    }

    @Override
    public boolean isTerminated() {
      return loop.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return loop.awaitTermination(timeout, unit);
    }
  }
}
