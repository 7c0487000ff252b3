package io.socketiocanary.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How much detail the agent exports per fleet ({@code canary.metrics.detail}): what the user's
 * Prometheus stores and, with hosted Prometheus, pays for. Both levels expose the same metric
 * names and labels; they differ in histogram buckets, in {@code _max} gauges and in when a reason
 * series appears. Immutable and thread-safe.
 */
public enum MetricDetail {
  /**
   * The default: histogram buckets where the dashboards, alerts and {@code compare} read them (a
   * subset of {@link #FULL}'s), no {@code _seconds_max}, and a disconnect or connect-error reason
   * exported from its first occurrence on (born at zero, see {@code metrics.ReasonSeries}).
   */
  COMPACT,
  /** Every bucket, every {@code _seconds_max}, every reason at zero from the start. */
  FULL;

  /** The value in configuration files. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static final List<String> LABELS = List.of(values()).stream().map(MetricDetail::label).toList();

  /** The level whose {@link #label()} is exactly {@code label}, if any. */
  public static Optional<MetricDetail> fromLabel(String label) {
    return List.of(values()).stream().filter(d -> d.label().equals(label)).findFirst();
  }
}
