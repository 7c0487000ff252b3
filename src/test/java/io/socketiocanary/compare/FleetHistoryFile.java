package io.socketiocanary.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes an OpenMetrics file with the history of a canary fleet, for
 * {@code promtool tsdb create-blocks-from openmetrics}: every target has two agent instances
 * ("a" and "b", so the comparison must sum them away), a before phase and an after phase of one
 * hour each, samples every 15 s. Events are spread evenly (not random) so the expected counts are
 * exact. Not thread-safe; build, then {@link #write(Path)}.
 */
final class FleetHistoryFile {
  static final int STEP_SECONDS = 15;
  static final String[] INSTANCES = {"a", "b"};
  static final java.util.Map<String, String> ROLLOUTS = java.util.Map.of("a", "old", "b", "new");
  static final int CLIENTS_PER_INSTANCE = 3;
  static final double[] RECONNECT_BUCKETS = {0.5, 1, 2, 5, 10, 30};
  static final double[] LIFETIME_BUCKETS = {30, 60, 300, 600, 3600};

  /**
   * How a fleet behaves in one phase; rates are per hour for the whole fleet.
   *
   * @param disconnectsPerHour transport_close disconnects, each followed by one reconnect
   * @param reconnectSeconds how long every reconnect takes
   * @param lifetimeSeconds how long every connection lived
   * @param connectErrorsPerHour timeout connect errors
   * @param canariesDown canaries of instance "a" down during the first 10 % of every 10 minutes
   */
  record Phase(double disconnectsPerHour, double reconnectSeconds, double lifetimeSeconds,
      double connectErrorsPerHour, int canariesDown) {}

  private record Scenario(String target, Phase before, Phase after) {}

  /**
   * Session recovery and message continuity of a fleet in one phase, per hour for the whole fleet.
   *
   * @param recoveredPerHour reconnects that came back as the same session
   * @param newSessionsPerHour reconnects that came back as a new session
   * @param noOffsetPerHour reconnects with nothing to offer (no event received)
   * @param missedPerHour subscribed messages never received
   */
  record RecoveryPhase(double recoveredPerHour, double newSessionsPerHour, double noOffsetPerHour,
      double missedPerHour) {}

  private record RecoveryScenario(String target, RecoveryPhase before, RecoveryPhase after) {}

  private final List<RecoveryScenario> recoveries = new ArrayList<>();

  private final long start;
  private final long marker;
  private final long end;
  private final List<Scenario> scenarios = new ArrayList<>();
  private String markerLabel;

  /**
   * @param beforeStart unix seconds where the before phase starts; data begins 10 minutes earlier
   *     and ends 5 minutes after the after phase
   */
  FleetHistoryFile(long beforeStart) {
    this.marker = beforeStart + 3600;
    this.start = beforeStart - 600;
    this.end = marker + 3600 + 300;
  }

  FleetHistoryFile target(String target, Phase before, Phase after) {
    scenarios.add(new Scenario(target, before, after));
    return this;
  }

  /** Also exports the recovery and continuity series for {@code target} (added with {@link #target}). */
  FleetHistoryFile recovery(String target, RecoveryPhase before, RecoveryPhase after) {
    recoveries.add(new RecoveryScenario(target, before, after));
    return this;
  }

  /** Exports the marker at the phase change from then on, as the agent does after POST /api/markers. */
  FleetHistoryFile marker(String label) {
    this.markerLabel = label;
    return this;
  }

  void write(Path file) {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      gauge(w, "socketio_canary_clients", (s, p, i, t) -> CLIENTS_PER_INSTANCE);
      gauge(w, "socketio_canary_connected", (s, p, i, t) -> CLIENTS_PER_INSTANCE
          - (i.equals("a") && Math.floorMod(t - start, 600) < 60 ? p.canariesDown() : 0));
      counter(w, "socketio_canary_disconnects", "reason=\"transport_close\"", Phase::disconnectsPerHour);
      counter(w, "socketio_canary_connect_errors", "reason=\"timeout\"", Phase::connectErrorsPerHour);
      counter(w, "socketio_canary_probe_failures", "", p -> 0);
      histogram(w, "socketio_canary_reconnect_duration_seconds", RECONNECT_BUCKETS, Phase::reconnectSeconds);
      histogram(w, "socketio_canary_connection_lifetime_seconds", LIFETIME_BUCKETS, Phase::lifetimeSeconds);
      if (!recoveries.isEmpty()) {
        w.write("# TYPE socketio_canary_recoveries counter\n");
        recoveryCounter(w, "socketio_canary_recoveries_total", "result=\"recovered\"", RecoveryPhase::recoveredPerHour);
        recoveryCounter(w, "socketio_canary_recoveries_total", "result=\"new_session\"",
            RecoveryPhase::newSessionsPerHour);
        recoveryCounter(w, "socketio_canary_recoveries_total", "result=\"no_offset\"", RecoveryPhase::noOffsetPerHour);
        w.write("# TYPE socketio_canary_messages_missed counter\n");
        recoveryCounter(w, "socketio_canary_messages_missed_total", "", RecoveryPhase::missedPerHour);
      }
      // One agent per instance; "a" watches the old path, "b" the new (canary.rollout), for A/B by rollout.
      w.write("# TYPE socketio_canary_build_info gauge\n");
      for (long t = start; t <= end; t += STEP_SECONDS) {
        for (String instance : INSTANCES) {
          w.write("socketio_canary_build_info{instance=\"" + instance + "\",rollout=\"" + ROLLOUTS.get(instance)
              + "\",version=\"0.1.0\"} 1 " + t + "\n");
        }
      }
      if (markerLabel != null) {
        w.write("# TYPE socketio_canary_marker_timestamp_seconds gauge\n");
        for (long t = marker; t <= end; t += STEP_SECONDS) {
          for (String instance : INSTANCES) {
            w.write("socketio_canary_marker_timestamp_seconds{marker=\"" + markerLabel + "\",instance=\"" + instance
                + "\"} " + marker + " " + t + "\n");
          }
        }
      }
      w.write("# EOF\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface GaugeValue {
    double at(Scenario s, Phase p, String instance, long t);
  }

  private interface Rate {
    double perHour(Phase p);
  }

  private void gauge(Writer w, String name, GaugeValue value) throws IOException {
    w.write("# TYPE " + name + " gauge\n");
    for (long t = start; t <= end; t += STEP_SECONDS) {
      for (Scenario s : scenarios) {
        for (String instance : INSTANCES) {
          w.write(name + labels(s, instance, "") + " " + num(value.at(s, phase(s, t), instance, t)) + " " + t + "\n");
        }
      }
    }
  }

  private void counter(Writer w, String family, String extra, Rate rate) throws IOException {
    w.write("# TYPE " + family + " counter\n");
    for (long t = start; t <= end; t += STEP_SECONDS) {
      for (Scenario s : scenarios) {
        for (String instance : INSTANCES) {
          w.write(family + "_total" + labels(s, instance, extra) + " " + events(s, rate, instance, t) + " " + t + "\n");
        }
      }
    }
  }

  private void recoveryCounter(Writer w, String series, String extra,
      java.util.function.ToDoubleFunction<RecoveryPhase> rate) throws IOException {
    for (long t = start; t <= end; t += STEP_SECONDS) {
      for (RecoveryScenario r : recoveries) {
        for (String instance : INSTANCES) {
          long n = events(rate.applyAsDouble(r.before()), rate.applyAsDouble(r.after()), instance, t);
          w.write(series + labels(r.target(), instance, extra) + " " + n + " " + t + "\n");
        }
      }
    }
  }

  private void histogram(Writer w, String name, double[] bounds, java.util.function.ToDoubleFunction<Phase> value)
      throws IOException {
    w.write("# TYPE " + name + " histogram\n");
    for (long t = start; t <= end; t += STEP_SECONDS) {
      for (Scenario s : scenarios) {
        for (String instance : INSTANCES) {
          // Each disconnect is one observation: the before part with the before value, then the after part.
          long beforeCount = events(s, Phase::disconnectsPerHour, instance, Math.min(t, marker));
          long afterCount = events(s, Phase::disconnectsPerHour, instance, t) - beforeCount;
          double vb = value.applyAsDouble(s.before());
          double va = value.applyAsDouble(s.after());
          for (double le : bounds) {
            long n = (vb <= le ? beforeCount : 0) + (va <= le ? afterCount : 0);
            w.write(name + "_bucket" + labels(s, instance, "le=\"" + num(le) + "\"") + " " + n + " " + t + "\n");
          }
          long total = beforeCount + afterCount;
          w.write(name + "_bucket" + labels(s, instance, "le=\"+Inf\"") + " " + total + " " + t + "\n");
          w.write(name + "_count" + labels(s, instance, "") + " " + total + " " + t + "\n");
          w.write(name + "_sum" + labels(s, instance, "") + " " + num(beforeCount * vb + afterCount * va) + " " + t + "\n");
        }
      }
    }
  }

  /** Events of one instance up to t: half the fleet's rate each, evenly spaced, none before the before phase. */
  private long events(Scenario s, Rate rate, String instance, long t) {
    return events(rate.perHour(s.before()), rate.perHour(s.after()), instance, t);
  }

  private long events(double perHourBefore, double perHourAfter, String instance, long t) {
    long beforeStart = marker - 3600;
    double perInstanceBefore = perHourBefore / INSTANCES.length;
    double perInstanceAfter = perHourAfter / INSTANCES.length;
    double beforeHours = Math.max(0, Math.min(t, marker) - beforeStart) / 3600.0;
    double afterHours = Math.max(0, t - marker) / 3600.0;
    // Event i falls at (i − ½)/rate: mid-interval, never on a window edge where it could count twice.
    return (long) Math.floor(perInstanceBefore * beforeHours + 0.5) + (long) Math.floor(perInstanceAfter * afterHours + 0.5);
  }

  private Phase phase(Scenario s, long t) {
    return t < marker ? s.before() : s.after();
  }

  private static String labels(Scenario s, String instance, String extra) {
    return labels(s.target(), instance, extra);
  }

  private static String labels(String target, String instance, String extra) {
    return "{target=\"" + target + "\",transport=\"websocket\",instance=\"" + instance + "\""
        + (extra.isEmpty() ? "" : "," + extra) + "}";
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
  }
}
