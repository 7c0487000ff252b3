package io.socketiocanary.client;

import io.netty.util.concurrent.EventExecutor;
import io.socket.backo.Backoff;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.thread.EventThread;
import io.socketiocanary.client.compat.ConnectTimeout;
import io.socketiocanary.client.compat.ManagerEngine;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Manager's reconnection, run by the agent: the schedule, attempts and events of
 * socket.io-client 2.1.2's {@code Manager.reconnect}, with its delays (and, when
 * {@link ConnectTimeout} is available, its connect timeouts) on one of the agent's event loops.
 *
 * <p>Why: the Manager starts a {@code java.util.Timer}, a new platform thread, for every reconnect
 * delay and every timed attempt, from the one EventThread all canaries of all targets share. A
 * target whose canaries fail fast made that thread spend its time starting threads (JFR: 8,880
 * thread starts from it in 200 s beside a refused port retried every 50–100 ms), and under CPU
 * contention every start waits for the new thread to be scheduled: other targets' events queued
 * behind it ({@code TargetIsolationIT}). A Netty timer is a queue entry on a loop.
 *
 * <p>What stays the library's: the delays come from its own {@link Backoff} (min = delay,
 * max = delay-max, jitter = randomization, factor 2, clamped to at least the delay, as the Manager
 * configures it); each attempt is the Manager's public {@link Manager#open()}; the namespace
 * Socket sends its CONNECT on the Manager's {@code open} and emits {@code connect_error} and
 * {@code disconnect} itself. What the Manager did, this does, in the same order: after a failed
 * attempt or the close of an open connection, take the next delay (or give up when the attempts
 * are spent); when it ends, report the attempt number, then open; reset the backoff once the
 * engine opens. It does not reconnect where the library would not: after {@code io server
 * disconnect} or a middleware rejection (the Socket is no longer active), nor after the agent's
 * own close.
 *
 * <p>Confined to the client's EventThread, except {@link #stop(Runnable)}.
 */
final class Reconnection {
  /** What the Manager emitted as {@code reconnect_attempt} and {@code reconnect_failed}. */
  interface Events {
    void attempt(int number);

    void gaveUp();
  }

  private static final Logger LOG = LoggerFactory.getLogger(Reconnection.class);
  /** The no-engine WARN below is said once per agent: every timed-out attempt of every canary would repeat it. */
  private static final AtomicBoolean warnedNoEngine = new AtomicBoolean();

  private final Manager manager;
  private final Socket socket;
  private final Backoff backoff;
  private final int maxAttempts;
  /** 0 when the Manager times its attempts itself. */
  private final long connectTimeoutMillis;
  private final EventExecutor timers;
  private final Events events;

  private volatile boolean stopped;
  private boolean opening;
  private boolean reconnecting;
  private ScheduledFuture<?> delay;
  private ScheduledFuture<?> timeout;
  /** What {@link #stop(Runnable)} left to run when the attempt in flight ends. */
  private Runnable afterAttempt;

  /**
   * @param connectTimeoutMillis how long an attempt may take before it fails with the library's
   *     {@code timeout}, or 0 when the Manager's own option does it
   */
  Reconnection(Manager manager, Socket socket, Backoff backoff, int maxAttempts, long connectTimeoutMillis,
      EventExecutor timers, Events events) {
    this.manager = manager;
    this.socket = socket;
    this.backoff = backoff;
    this.maxAttempts = maxAttempts;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.timers = timers;
    this.events = events;
  }

  /**
   * Connects the namespace Socket (its first attempt) and from then on reconnects it. The
   * Manager's listeners are added after the Socket's, so the Socket reports a failure or a close
   * before the next attempt is planned, as with the Manager's own reconnection.
   */
  void start() {
    EventThread.exec(() -> {
      if (stopped) {
        return;
      }
      socket.connect();
      manager.on(Manager.EVENT_OPEN, args -> opened());
      manager.on(Manager.EVENT_ERROR, args -> failed());
      manager.on(Manager.EVENT_CLOSE, args -> closed());
      attemptStarted();
    });
  }

  /**
   * No further attempt; then {@code settled} runs on the EventThread once no attempt is in flight:
   * at once, or when the one in flight opens or fails (its connect timeout still bounds it). Any
   * thread.
   *
   * <p>Why wait: an engine closed while its polling handshake is unanswered never tells the server
   * (engine.io-client sends its close packet only from an open transport, and the closed one never
   * opens), so the session the server answered with stays there until its ping timeout. Closing
   * once the engine opened sends the close packet; a WebSocket attempt opens or fails within the
   * same wait.
   */
  void stop(Runnable settled) {
    stopped = true;
    EventThread.exec(() -> {
      cancel(delay);
      afterAttempt = settled;
      // Between attempts the timeout is already cancelled (attemptEnded) or spent (timedOut).
      if (!opening) {
        runAfterAttempt();
      }
    });
  }

  private void attemptStarted() {
    opening = true;
    if (connectTimeoutMillis > 0) {
      timeout = timers.schedule(() -> EventThread.exec(this::timedOut), connectTimeoutMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void timedOut() {
    timeout = null;
    // Also after stop: an attempt in flight then still holds a deferred close (stop(Runnable)).
    if (opening && !ConnectTimeout.expire(manager) && warnedNoEngine.compareAndSet(false, true)) {
      // ConnectTimeout was available at start-up, and the Manager sets its engine before it is
      // opening, so this is a library that changed under us: say so rather than wait unseen.
      LOG.warn("a connect attempt outlived its connect timeout but socket.io-client gave no engine to end it"
          + " (library internals changed?); the canary stays connecting until the attempt fails by itself");
    }
  }

  private void opened() {
    if (attemptEnded()) {
      backoff.reset();
      runAfterAttempt();
    }
  }

  /** The Manager's {@code error}: an attempt failed, or an open connection's engine failed (its close follows). */
  private void failed() {
    if (attemptEnded()) {
      closeAbandonedEngine();
      reconnect();
      runAfterAttempt();
    }
  }

  private void runAfterAttempt() {
    Runnable settled = afterAttempt;
    afterAttempt = null;
    if (settled != null) {
      settled.run();
    }
  }

  /** Ends the attempt in progress, if one is: its timeout is cancelled. False when none was. */
  private boolean attemptEnded() {
    if (!opening) {
      return false;
    }
    opening = false;
    reconnecting = false;
    cancel(timeout);
    return true;
  }

  /**
   * The Manager drops a failed attempt's engine without closing it. Most failures closed it
   * already; a handshake answer that is not JSON does not (the engine only emits {@code error}),
   * and its polling transport, open by then, polls again at once, and again on every answer: a
   * loop as fast as the server answers, on the shared EventThread, until the next attempt cancels
   * the canary's calls. Closing a closed engine does nothing.
   */
  private void closeAbandonedEngine() {
    io.socket.engineio.client.Socket engine = ManagerEngine.of(manager);
    if (engine != null) {
      engine.close();
    }
  }

  private void closed() {
    // Inactive: the Socket gave up itself (io server disconnect, a middleware rejection, our close).
    if (stopped || !socket.isActive()) {
      return;
    }
    backoff.reset();
    reconnect();
  }

  private void reconnect() {
    if (reconnecting || stopped) {
      return;
    }
    if (backoff.getAttempts() >= maxAttempts) {
      backoff.reset();
      events.gaveUp();
      return;
    }
    reconnecting = true;
    delay = timers.schedule(() -> EventThread.exec(this::attempt), backoff.duration(), TimeUnit.MILLISECONDS);
  }

  private void attempt() {
    delay = null;
    if (stopped) {
      return;
    }
    events.attempt(backoff.getAttempts());
    // The report may have closed the connection, as a reconnect_attempt listener could.
    if (stopped) {
      return;
    }
    manager.open();
    attemptStarted();
  }

  private static void cancel(ScheduledFuture<?> future) {
    if (future != null) {
      future.cancel(false);
    }
  }
}
