package io.socketiocanary.selfwatch;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.socketiocanary.metrics.MetricNames;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent watching itself: every {@link #PROBE_INTERVAL} it posts a no-op to each loop the
 * canaries depend on (at most one in flight per loop) and measures how long it waited. A monitor
 * whose own EventThread or event loop stood still would otherwise report the stall as its
 * targets' timeouts and slow reconnects.
 *
 * <p>What comes out: the gauge {@code socketio_canary_agent_lag_seconds{loop}}, the worst wait of
 * the last minute (a probe still waiting counts with its age, so a loop stuck for good shows a
 * growing lag rather than none); a WARN with the stuck thread's stack when a probe has waited
 * {@link #WARN_AFTER}, and an INFO when it finally ran; and {@link Stalls} for canaries to ask.
 * The self-watch's own timer waking up late is measured too ({@link LoopNames#JVM}): a GC pause
 * or a starved process stalls everything, including loops with no probe in flight.
 *
 * <p>Thread-safe. One daemon thread, {@code canary-selfwatch}.
 */
public final class SelfWatch implements Stalls, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SelfWatch.class);
  static final Duration PROBE_INTERVAL = Duration.ofMillis(250);
  static final Duration WARN_AFTER = Duration.ofSeconds(2);
  /** Stalls older than this no longer matter to any attempt or outage being judged. */
  static final Duration KEEP_STALLS_FOR = Duration.ofMinutes(15);
  static final int MAX_KEPT_STALLS = 256;

  private final LongSupplier clock;
  private final List<Member> members = new ArrayList<>();
  private final RecentMax jvmLag = new RecentMax();
  /** Finished stalls of at least {@link Stalls#THRESHOLD}, oldest first: {start, end}. Guarded by itself. */
  private final Deque<long[]> stalls = new ArrayDeque<>();
  private final List<Meter> meters = new ArrayList<>();
  private final MeterRegistry registry;
  private final Thread thread;
  private volatile boolean running = true;

  public SelfWatch(List<WatchedLoop> loops, MeterRegistry registry) {
    this(loops, registry, System::nanoTime);
  }

  SelfWatch(List<WatchedLoop> loops, MeterRegistry registry, LongSupplier clock) {
    this.clock = clock;
    this.registry = registry;
    for (WatchedLoop loop : loops) {
      if (!LoopNames.ALL.contains(loop.loop())) {
        throw new IllegalArgumentException("unknown loop label " + loop.loop());
      }
      members.add(new Member(loop));
    }
    for (String name : LoopNames.ALL) {
      if (name.equals(LoopNames.JVM) || members.stream().anyMatch(m -> m.loop.loop().equals(name))) {
        meters.add(Gauge.builder(MetricNames.AGENT_LAG, this, w -> w.recentLagSeconds(name))
            .baseUnit("seconds")
            .description("Longest wait of the last minute for work posted to one of the agent's own loops"
                + " (a wait still going on counts with its age)")
            .tag(MetricNames.LOOP, name)
            .register(registry));
      }
    }
    this.thread = new Thread(this::run, "canary-selfwatch");
    thread.setDaemon(true);
  }

  public SelfWatch start() {
    thread.start();
    return this;
  }

  @Override
  public boolean stalledDuring(long fromNanos, long toNanos) {
    long threshold = THRESHOLD.toNanos();
    synchronized (stalls) {
      for (long[] stall : stalls) {
        if (stall[0] <= toNanos && stall[1] >= fromNanos) {
          return true;
        }
      }
    }
    long now = clock.getAsLong();
    for (Member m : members) {
      if (!m.excusesTargets) {
        continue;
      }
      long since = m.waitingSince();
      if (since != Long.MAX_VALUE && now - since >= threshold && since <= toNanos) {
        return true;
      }
    }
    return false;
  }

  /** The {@code loop} label's value now: the worst wait of the last minute, in seconds. */
  double recentLagSeconds(String loop) {
    long now = clock.getAsLong();
    long worst = 0;
    if (loop.equals(LoopNames.JVM)) {
      synchronized (jvmLag) {
        worst = jvmLag.max(now);
      }
    }
    for (Member m : members) {
      if (m.loop.loop().equals(loop)) {
        worst = Math.max(worst, m.recentLag(now));
      }
    }
    return worst / 1e9;
  }

  private void run() {
    long interval = PROBE_INTERVAL.toNanos();
    long due = clock.getAsLong() + interval;
    while (running) {
      long wait = due - clock.getAsLong();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
        continue; // woken early (spuriously, or by close): wait again for the same tick
      }
      long now = clock.getAsLong();
      tick(now, now - due);
      // After a pause, carry on from now instead of a burst of catch-up ticks.
      due = Math.max(due + interval, now + interval / 2);
    }
  }

  /** One round: the timer's own lateness, then a probe for every loop that has none in flight. */
  void tick(long now, long timerLate) {
    synchronized (jvmLag) {
      jvmLag.record(now, Math.max(0, timerLate));
    }
    if (timerLate >= THRESHOLD.toNanos()) {
      recordStall(now - timerLate, now);
      log.atWarn().addKeyValue("loop", LoopNames.JVM)
          .addKeyValue("stalled_ms", timerLate / 1_000_000)
          .log("the agent's process stood still (GC pause, CPU starvation or a frozen JVM);"
              + " attempts and outages that overlap it are not charged to their targets");
    }
    for (Member m : members) {
      m.tick(now);
    }
  }

  private void recordStall(long start, long end) {
    synchronized (stalls) {
      stalls.addLast(new long[] {start, end});
      while (stalls.size() > MAX_KEPT_STALLS
          || (!stalls.isEmpty() && end - stalls.peekFirst()[1] > KEEP_STALLS_FOR.toNanos())) {
        stalls.removeFirst();
      }
    }
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    meters.forEach(registry::remove);
  }

  /** One probed loop (one thread). Its state is guarded by itself. */
  private final class Member {
    private final WatchedLoop loop;
    /** Whether a stall here can delay a canary's events, so it excuses targets (not the HTTP API's). */
    private final boolean excusesTargets;
    private final RecentMax lag = new RecentMax();
    private boolean inFlight;
    private long postedAt;
    private boolean warned;
    private Thread lastThread;

    Member(WatchedLoop loop) {
      this.loop = loop;
      this.excusesTargets = LoopNames.carriesCanaries(loop.loop());
    }

    void tick(long now) {
      long posted;
      synchronized (this) {
        if (inFlight) {
          if (!warned && now - postedAt >= WARN_AFTER.toNanos()) {
            warned = true;
            warnStuck(now - postedAt, lastThread);
          }
          return;
        }
        inFlight = true;
        warned = false;
        postedAt = now;
        posted = now;
      }
      try {
        loop.executor().execute(() -> ran(posted));
      } catch (RejectedExecutionException e) {
        // Shutting down: nothing to measure any more.
        synchronized (this) {
          inFlight = false;
        }
      }
    }

    private void ran(long posted) {
      long now = clock.getAsLong();
      long waited = now - posted;
      boolean wasWarned;
      synchronized (this) {
        inFlight = false;
        lastThread = Thread.currentThread();
        lag.record(now, waited);
        wasWarned = warned;
      }
      if (waited >= THRESHOLD.toNanos()) {
        if (excusesTargets) {
          recordStall(posted, now);
        }
        // Every stall that excuses targets is in the log, also the ones too short for the WARN.
        log.atInfo().addKeyValue("loop", loop.loop()).addKeyValue("stalled_ms", waited / 1_000_000)
            .addKeyValue("excuses_targets", excusesTargets)
            .log(wasWarned ? "agent loop running again" : "agent loop was stalled");
      }
    }

    synchronized long waitingSince() {
      return inFlight ? postedAt : Long.MAX_VALUE;
    }

    synchronized long recentLag(long now) {
      return Math.max(lag.max(now), inFlight ? now - postedAt : 0);
    }

    private void warnStuck(long waited, Thread last) {
      StuckThreads stuck = new StuckThreads(String.format(Locale.ROOT,
          "%s: no progress for %.1f s", loop.loop(), waited / 1e9));
      if (last != null) {
        stuck.add(last, last.getStackTrace());
      }
      log.atWarn().addKeyValue("loop", loop.loop()).addKeyValue("stalled_ms", waited / 1_000_000)
          .addKeyValue("threads", stuck.threadNames())
          .setCause(stuck)
          .log(excusesTargets
              ? "agent loop stalled: its canaries' events wait; attempts and outages that overlap the stall"
                  + " are counted as agent_stalled, not charged to their targets"
              : "agent loop stalled: /metrics and the status API wait; the canaries do not");
    }
  }
}
