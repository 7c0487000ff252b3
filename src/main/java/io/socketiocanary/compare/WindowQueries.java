package io.socketiocanary.compare;

import io.socketiocanary.compare.PrometheusClient.Sample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Asks Prometheus for one window's figures: instant queries at the window's end over a range
 * selector as long as the window (evaluated just before the end, so the window is half-open), summed
 * {@code by (target, transport[, reason][, le])} so extra
 * labels (instance, vantage, pod) disappear. Counters go through {@code increase()}, which
 * extrapolates to the window edges, hence fractional counts. Stateless apart from the client.
 */
public final class WindowQueries {
  private final PrometheusClient prometheus;
  private final Selection selection;
  private final String selector;
  private final UnaryOperator<FleetKey> key;

  /** @param target only this target, or every target when empty */
  public WindowQueries(PrometheusClient prometheus, Optional<String> target) {
    this(prometheus, target, new Selection(List.of()), UnaryOperator.identity());
  }

  /**
   * One side of an A/B comparison.
   *
   * @param selection the side's label matchers
   * @param key maps a fleet of this side to the key it is paired under with the other side
   */
  WindowQueries(PrometheusClient prometheus, Optional<String> target, Selection selection, UnaryOperator<FleetKey> key) {
    this.prometheus = prometheus;
    this.selection = selection;
    this.selector = selection.seriesSelector(target);
    this.key = key;
  }

  /** Fails when the window holds no canary data at all: nothing to compare is an error, not a pass. */
  public WindowData fetch(Window w, String name) throws PrometheusException {
    Map<FleetKey, Double> clients = byFleet(query(w, "avg_over_time", SeriesNames.CLIENTS, ""));
    if (clients.isEmpty()) {
      String agents = selection.agentJoin("").isEmpty() ? "" : " on agents with " + SeriesNames.BUILD_INFO + " matching "
          + selection;
      throw new PrometheusException("no " + SeriesNames.CLIENTS + selector + " data" + agents + " in Prometheus at "
          + prometheus.base() + " for the " + name + " window " + w);
    }
    return new WindowData(w, new TreeSet<>(clients.keySet()), clients,
        byFleet(query(w, "avg_over_time", SeriesNames.CONNECTED, "")),
        byLabel(query(w, "increase", SeriesNames.DISCONNECTS, ", reason"), "reason"),
        byLabel(query(w, "increase", SeriesNames.CONNECT_ERRORS, ", reason"), "reason"),
        byFleet(query(w, "increase", SeriesNames.PROBE_FAILURES, "")),
        histograms(query(w, "increase", SeriesNames.RECONNECT_BUCKETS, ", le")),
        histograms(query(w, "increase", SeriesNames.DRILL_RECONNECT_BUCKETS, ", le")),
        histograms(query(w, "increase", SeriesNames.LIFETIME_BUCKETS, ", le")),
        byLabel(query(w, "increase", SeriesNames.RECOVERIES, ", result"), "result"),
        byFleet(query(w, "increase", SeriesNames.MESSAGES_MISSED, "")));
  }

  /** Canaries still on a connection from before the latest marker, at the end of {@code w}. */
  public Map<FleetKey, Double> staleAtEnd(Window w) throws PrometheusException {
    return byFleet(query(w, "last_over_time", SeriesNames.STALE_CONNECTIONS, ""));
  }

  private List<Sample> query(Window w, String function, String series, String extraLabels)
      throws PrometheusException {
    String promql = "sum by (target, transport" + extraLabels + ") (" + function + "(" + series + selector
        + w.rangeSelector() + ")" + selection.agentJoin(w.rangeSelector()) + ")";
    // A range selector is (t − range, t]; evaluating 1 ms early makes it [start, end), so the
    // sample at the rollout instant belongs to the after window only.
    return prometheus.query(promql, w.end().minusMillis(1));
  }

  private Map<FleetKey, Double> byFleet(List<Sample> samples) {
    Map<FleetKey, Double> out = new HashMap<>();
    samples.forEach(s -> out.put(key.apply(FleetKey.of(s)), s.value()));
    return Map.copyOf(out);
  }

  private Map<FleetKey, Map<String, Double>> byLabel(List<Sample> samples, String label) {
    Map<FleetKey, Map<String, Double>> out = new HashMap<>();
    samples.forEach(s -> out.computeIfAbsent(key.apply(FleetKey.of(s)), k -> new HashMap<>())
        .put(s.label(label), s.value()));
    Map<FleetKey, Map<String, Double>> frozen = new HashMap<>();
    out.forEach((k, v) -> frozen.put(k, Map.copyOf(v)));
    return Map.copyOf(frozen);
  }

  private Map<FleetKey, Histogram> histograms(List<Sample> samples) {
    Map<FleetKey, Map<Double, Double>> buckets = new HashMap<>();
    for (Sample s : samples) {
      double le = s.label("le").equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(s.label("le"));
      buckets.computeIfAbsent(key.apply(FleetKey.of(s)), k -> new HashMap<>()).put(le, s.value());
    }
    Map<FleetKey, Histogram> out = new HashMap<>();
    buckets.forEach((k, v) -> out.put(k, Histogram.fromBuckets(v)));
    return Map.copyOf(out);
  }
}
