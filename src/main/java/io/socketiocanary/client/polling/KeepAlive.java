package io.socketiocanary.client.polling;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One canary's idle keep-alive connections, reused by origin as a browser reuses its own (never
 * another canary's). A canary keeps at most {@link #MAX_IDLE_PER_ORIGIN} per origin (a long-poll's
 * and a POST's; a redirect's target is another origin), so a list scanned in full beats any
 * index; OkHttp's shared pools were scanned connection by connection on every request. One timer
 * per canary, armed only while something is idle, closes what waited longer than
 * {@link #IDLE_NANOS}, as OkHttp's pool did after a minute. Confined to the canary's event loop.
 */
final class KeepAlive {
  static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(1);
  /**
   * An engine needs two at once, its long-poll and a POST. More happen: engine.io-client leaves
   * the engine of a failed attempt running, and one whose handshake answer was not JSON keeps
   * polling beside the next attempt's engine until the canary cancels its calls; each such call
   * ended on a connection of its own, and all of them waited here for their minute
   * ({@code HostileServersIT}: up to 10 to one server for two canaries).
   */
  static final int MAX_IDLE_PER_ORIGIN = 2;

  private final EventLoop loop;
  private final List<PollingConnection> idle = new ArrayList<>(2);
  private boolean sweepArmed;

  KeepAlive(EventLoop loop) {
    this.loop = loop;
  }

  /** An idle, still open connection to {@code origin}, taken out of the pool; or null. */
  PollingConnection take(String origin) {
    for (int i = idle.size() - 1; i >= 0; i--) {
      PollingConnection c = idle.get(i);
      if (c.origin.equals(origin)) {
        idle.remove(i);
        if (c.usable()) {
          return c;
        }
      }
    }
    return null;
  }

  void put(PollingConnection c) {
    c.idleSince = System.nanoTime();
    makeRoomFor(c.origin);
    idle.add(c);
    if (!sweepArmed) {
      sweepArmed = true;
      loop.schedule(this::sweep, IDLE_NANOS, TimeUnit.NANOSECONDS);
    }
  }

  /** Makes room for one more idle connection to {@code origin}: closes the longest idle ones beyond the limit. */
  private void makeRoomFor(String origin) {
    int newer = 0;
    // Newest last (connections are added as they go idle): keep the newest, close the rest.
    for (int i = idle.size() - 1; i >= 0; i--) {
      PollingConnection c = idle.get(i);
      if (c.origin.equals(origin) && ++newer >= MAX_IDLE_PER_ORIGIN) {
        idle.remove(i);
        c.close(false);
      }
    }
  }

  /** A connection that closed (the server ended it, a drill cut it) leaves at once. */
  void remove(PollingConnection c) {
    idle.remove(c);
  }

  private void sweep() {
    sweepArmed = false;
    long now = System.nanoTime();
    long oldest = now;
    for (int i = idle.size() - 1; i >= 0; i--) {
      PollingConnection c = idle.get(i);
      if (now - c.idleSince >= IDLE_NANOS) {
        idle.remove(i);
        c.close(false);
      } else {
        oldest = Math.min(oldest, c.idleSince);
      }
    }
    if (!idle.isEmpty()) {
      sweepArmed = true;
      loop.schedule(this::sweep, oldest + IDLE_NANOS - now, TimeUnit.NANOSECONDS);
    }
  }

  /** Closes every idle connection: their canary connection is gone and nothing will reuse them. */
  void closeAll() {
    // Emptied first: a close on the loop runs at once, and its listener removes from this list.
    List<PollingConnection> closing = new ArrayList<>(idle);
    idle.clear();
    closing.forEach(c -> c.close(false));
  }
}
