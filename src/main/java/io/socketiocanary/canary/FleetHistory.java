package io.socketiocanary.canary;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last hour of one fleet, for the status page: a per-minute timeline of disconnects,
 * reconnects and connect errors, the most recent events, and samples of reconnect durations and
 * connection lifetimes. Bounded in memory whatever the churn: a fleet cut every few seconds keeps
 * at most {@link #MAX_SAMPLES} samples and {@link #MAX_RECENT} events.
 *
 * <p>Thread-safe (synchronized): canaries write on their fleet's context, the HTTP API reads.
 */
public final class FleetHistory {
  static final Duration WINDOW = Duration.ofHours(1);
  static final int MAX_SAMPLES = 500;
  static final int MAX_RECENT = 50;

  /** One thing that happened to a canary. {@code seconds} is the lifetime or the outage. */
  public record Event(Instant at, int canary, String kind, String reason, Double seconds) {}

  /** Counts for one minute of the timeline. */
  public record Minute(Instant start, Map<String, Integer> disconnects, int reconnects, Map<String, Integer> connectErrors) {}

  /** Samples of the last hour, oldest first, with their percentiles. */
  public record Samples(double[] seconds, double p50, double p95, double p99) {}

  /** What the status API shows. */
  public record Snapshot(List<Event> recent, List<Minute> timeline, Samples reconnects, Samples lifetimes) {}

  private record Sample(Instant at, double seconds) {}

  private final Deque<Event> recent = new ArrayDeque<>();
  private final Deque<Sample> reconnects = new ArrayDeque<>();
  private final Deque<Sample> lifetimes = new ArrayDeque<>();
  private final Map<Long, MutableMinute> minutes = new LinkedHashMap<>();

  private static final class MutableMinute {
    final Map<String, Integer> disconnects = new LinkedHashMap<>();
    final Map<String, Integer> connectErrors = new LinkedHashMap<>();
    int reconnects;
  }

  synchronized void disconnected(Instant at, int canary, String reason, Duration lifetime) {
    double seconds = lifetime.toNanos() / 1e9;
    add(new Event(at, canary, "disconnect", reason, seconds));
    addSample(lifetimes, new Sample(at, seconds));
    minute(at).disconnects.merge(reason, 1, Integer::sum);
  }

  synchronized void reconnected(Instant at, int canary, Duration outage) {
    double seconds = outage.toNanos() / 1e9;
    add(new Event(at, canary, "reconnect", null, seconds));
    addSample(reconnects, new Sample(at, seconds));
    minute(at).reconnects++;
  }

  synchronized void connectError(Instant at, int canary, String reason) {
    add(new Event(at, canary, "connect_error", reason, null));
    minute(at).connectErrors.merge(reason, 1, Integer::sum);
  }

  public synchronized Snapshot snapshot(Instant now) {
    prune(now);
    List<Minute> timeline = new ArrayList<>(minutes.size());
    minutes.forEach((minute, m) -> timeline.add(new Minute(Instant.ofEpochSecond(minute * 60),
        Map.copyOf(m.disconnects), m.reconnects, Map.copyOf(m.connectErrors))));
    return new Snapshot(List.copyOf(recent), timeline, samples(reconnects), samples(lifetimes));
  }

  private void add(Event event) {
    recent.addLast(event);
    while (recent.size() > MAX_RECENT) {
      recent.removeFirst();
    }
  }

  private static void addSample(Deque<Sample> samples, Sample sample) {
    samples.addLast(sample);
    while (samples.size() > MAX_SAMPLES) {
      samples.removeFirst();
    }
  }

  private MutableMinute minute(Instant at) {
    return minutes.computeIfAbsent(at.getEpochSecond() / 60, k -> new MutableMinute());
  }

  private void prune(Instant now) {
    Instant cutoff = now.minus(WINDOW);
    recent.removeIf(e -> e.at().isBefore(cutoff));
    reconnects.removeIf(s -> s.at().isBefore(cutoff));
    lifetimes.removeIf(s -> s.at().isBefore(cutoff));
    long firstMinute = cutoff.getEpochSecond() / 60;
    for (Iterator<Long> it = minutes.keySet().iterator(); it.hasNext(); ) {
      if (it.next() < firstMinute) {
        it.remove();
      }
    }
  }

  private static Samples samples(Deque<Sample> samples) {
    double[] values = samples.stream().mapToDouble(Sample::seconds).toArray();
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return new Samples(values, quantile(sorted, 0.50), quantile(sorted, 0.95), quantile(sorted, 0.99));
  }

  /** Nearest-rank quantile; NaN when there are no samples. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
