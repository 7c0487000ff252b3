package io.socketiocanary.canary;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A clock that moves only when the test says, and the timers on it. Single-threaded. */
final class ManualTimers implements Timers {
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private long nanos = 1_000_000_000L;
  private long order;
  private final List<Scheduled> scheduled = new ArrayList<>();

  private final class Scheduled implements Timer {
    final long dueNanos;
    final long seq = order++;
    final Runnable action;

    Scheduled(long dueNanos, Runnable action) {
      this.dueNanos = dueNanos;
      this.action = action;
    }

    @Override
    public void cancel() {
      scheduled.remove(this);
    }
  }

  @Override
  public Timer schedule(Duration delay, Runnable action) {
    Scheduled timer = new Scheduled(nanos + delay.toNanos(), action);
    scheduled.add(timer);
    return timer;
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public Instant now() {
    return EPOCH.plusNanos(nanos);
  }

  /** Moves the clock forward by {@code step}, running every timer that falls due, in order. */
  void advance(Duration step) {
    long end = nanos + step.toNanos();
    while (true) {
      Scheduled next = scheduled.stream().filter(t -> t.dueNanos <= end)
          .min(Comparator.comparingLong((Scheduled t) -> t.dueNanos).thenComparingLong(t -> t.seq)).orElse(null);
      if (next == null) {
        break;
      }
      scheduled.remove(next);
      nanos = Math.max(nanos, next.dueNanos);
      next.action.run();
    }
    nanos = end;
  }

  /** Timers still pending. */
  int pending() {
    return scheduled.size();
  }
}
