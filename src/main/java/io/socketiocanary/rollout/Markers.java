package io.socketiocanary.rollout;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.socketiocanary.metrics.MetricNames;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rollout markers: a bounded history, and {@code socketio_canary_marker_timestamp_seconds{marker}}
 * for the most recent distinct labels so Grafana can draw them as annotations without a plugin.
 * Recording a label again moves it to now. The exported set is bounded ({@link #EXPORTED}), so a
 * script posting markers in a loop cannot grow the series count.
 *
 * <p>Thread-safe (synchronized).
 */
public final class Markers {
  static final int HISTORY = 100;
  static final int EXPORTED = 20;
  static final int MAX_DESCRIPTION = 500;
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z0-9._:/-]{1,64}");

  private final MeterRegistry registry;
  private final Clock clock;
  private final Deque<Marker> history = new ArrayDeque<>();
  private final Map<String, Gauge> exported = new HashMap<>();
  private final Map<String, Double> timestamps = new HashMap<>();

  public Markers(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** Why a label or description is not acceptable, or empty when it is. */
  public static Optional<String> validate(String label, String description) {
    if (label == null || !LABEL.matcher(label).matches()) {
      return Optional.of("label must be 1 to 64 characters of letters, digits and ._:/- (it becomes a metric label)");
    }
    if (description != null && description.length() > MAX_DESCRIPTION) {
      return Optional.of("description must be at most " + MAX_DESCRIPTION + " characters");
    }
    return Optional.empty();
  }

  /** Records a validated marker; see {@link #validate}. */
  public synchronized Marker record(String label, String description) {
    if (validate(label, description).isPresent()) {
      throw new IllegalArgumentException(validate(label, description).get());
    }
    Marker marker = new Marker(label, description == null ? "" : description, clock.instant());
    history.addLast(marker);
    while (history.size() > HISTORY) {
      history.removeFirst();
    }
    timestamps.put(label, marker.at().toEpochMilli() / 1000.0);
    exported.computeIfAbsent(label, l -> Gauge.builder(MetricNames.MARKER_TIMESTAMP, timestamps,
            t -> t.getOrDefault(l, Double.NaN))
        .baseUnit("seconds")
        .description("When a rollout marker was recorded (unix seconds); the latest per label")
        .tag(MetricNames.MARKER, l)
        .register(registry));
    evictBeyondExported();
    return marker;
  }

  /** Every marker still in the history, oldest first. */
  public synchronized List<Marker> all() {
    return new ArrayList<>(history);
  }

  private void evictBeyondExported() {
    if (exported.size() <= EXPORTED) {
      return;
    }
    List<Map.Entry<String, Double>> byAge = new ArrayList<>(timestamps.entrySet());
    byAge.sort(Map.Entry.comparingByValue());
    for (int i = 0; i < byAge.size() - EXPORTED; i++) {
      String label = byAge.get(i).getKey();
      registry.remove(exported.remove(label));
      timestamps.remove(label);
    }
  }
}
