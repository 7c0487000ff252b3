package io.socketiocanary.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Finds the latest rollout marker with a label: the largest value of
 * {@code socketio_canary_marker_timestamp_seconds{marker="LABEL"}} seen within the look-back.
 * Stateless apart from the client.
 */
public final class MarkerLookup {
  private final PrometheusClient prometheus;
  private final Duration lookback;

  public MarkerLookup(PrometheusClient prometheus, Duration lookback) {
    this.prometheus = prometheus;
    this.lookback = lookback;
  }

  /** The marker's time; fails when Prometheus has no such marker within the look-back. */
  public Instant latest(String label, Instant now) throws PrometheusException {
    String series = SeriesNames.MARKER + "{marker=\"" + label.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    String promql = "max(max_over_time(" + series + "[" + lookback.toSeconds() + "s]))";
    List<PrometheusClient.Sample> result = prometheus.query(promql, now);
    if (result.isEmpty()) {
      throw new PrometheusException("no rollout marker " + series + " in Prometheus at " + prometheus.base()
          + " within the last " + TimeExpressions.format(lookback));
    }
    double seconds = result.get(0).value();
    return Instant.ofEpochMilli(Math.round(seconds * 1000));
  }
}
