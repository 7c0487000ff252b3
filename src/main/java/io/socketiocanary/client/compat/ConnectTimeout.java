package io.socketiocanary.client.compat;

import io.socket.client.Manager;
import io.socket.client.SocketIOException;
import io.socket.engineio.client.Socket;

/**
 * Ends a {@link Manager}'s connection attempt that took too long, exactly as the Manager's own
 * connect timeout does, so the agent can run that timeout on its own timer.
 *
 * <p>Why: socket.io-client 2.1.2's {@code Manager.open} starts a {@code java.util.Timer} (a new
 * platform thread) for every attempt that has a timeout, on the one EventThread every canary of
 * every target shares. A target whose canaries fail fast (a refused port, hundreds of attempts a
 * minute) made that thread spend its time starting threads, and under CPU contention each start
 * waits for the scheduler: the other targets' events waited behind it. With the Manager's timeout
 * off ({@code timeout = -1}), the agent times the attempt and calls {@link #expire}.
 *
 * <p>How: what the library's timer task does, through the engine of the attempt (read by
 * {@link ManagerEngine}): close the engine, then emit {@code error} with
 * {@code SocketIOException("timeout")} on it. The Manager's open-error listener then cleans up,
 * goes back to CLOSED and emits {@code error}, which the namespace Socket turns into
 * {@code connect_error}: the same events and the same text ({@link LibraryTexts}) as the library's
 * timeout. (The library also unsubscribes its open listener first; a closed engine never emits
 * {@code open}, and the cleanup removes that listener.)
 *
 * <p>Guarded: {@code ConnectTimeoutTest} expires an attempt against a silent loopback server and
 * checks the event, the text and that the Manager can open again. At run time, when
 * {@link ManagerEngine} cannot read the engine, {@link #available()} is false and the agent leaves
 * the timeout to the Manager (a Timer thread per attempt again), said at WARN at start-up.
 *
 * <p>Call {@link #expire} on the client's EventThread.
 */
public final class ConnectTimeout {
  /** Checked once: the library on the class path does not change, and every canary connection asks. */
  private static final String unavailableBecause = check();

  private ConnectTimeout() {}

  /** Whether {@link #expire} can end an attempt; when false, leave the timeout to the Manager. */
  public static boolean available() {
    return unavailableBecause == null;
  }

  /** Why {@link #expire} cannot work with the library on the class path, or null when it can. */
  public static String unavailableBecause() {
    return unavailableBecause;
  }

  private static String check() {
    String why = ManagerEngine.unavailableBecause();
    return why == null ? null : "the attempt's engine is out of reach: " + why;
  }

  /**
   * Fails the Manager's attempt in progress with the library's {@code timeout} error. Returns
   * false, doing nothing, when there is no engine to fail.
   */
  public static boolean expire(Manager manager) {
    Socket engine = ManagerEngine.of(manager);
    if (engine == null) {
      return false;
    }
    engine.close();
    engine.emit(Socket.EVENT_ERROR, new SocketIOException("timeout"));
    return true;
  }
}
