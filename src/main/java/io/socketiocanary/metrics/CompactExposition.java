package io.socketiocanary.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a scrape shows in compact mode, on top of the compact buckets ({@link CompactBuckets}).
 *
 * <ul>
 *   <li>No {@code socketio_canary_*_seconds_max}: a decaying Micrometer maximum that no dashboard,
 *       alert or {@code compare} reads.
 *   <li>Reason series ({@code disconnects_total} and {@code connect_errors_total} by
 *       {@code reason}) only once the reason has happened. The agent still counts every reason
 *       from zero; a series at zero is just not shown.
 *   <li>Born at zero: {@code rate()} and {@code increase()} take a new series' first sample as
 *       their starting point, so a series that first appears at 1 would lose that failure. A
 *       scraper that has already scraped this agent therefore sees a reason's series at 0 the
 *       first time it appears, and its true value from its next scrape on. The failure is
 *       counted one scrape interval later, but counted. A scraper seen for the first time (or
 *       after {@link #FORGET_AFTER_NANOS} without a scrape) gets the true values: it has no
 *       earlier sample for a jump to be measured from, exactly as when every reason was exported
 *       at zero.
 * </ul>
 *
 * <p>Scrapers are told apart by address and {@code User-Agent}; only clients that say they scrape
 * periodically (the {@code X-Prometheus-Scrape-Timeout-Seconds} header Prometheus, Grafana
 * Alloy, vmagent and the OpenTelemetry collector send) are remembered, so a person with curl
 * or a test reading {@code /metrics} sees the counters as they are.
 *
 * <p>Thread-safe: {@link #filter} is synchronized (scrapes are rare and short).
 */
final class CompactExposition {
  /** Longer than any sane scrape interval; Prometheus itself marks series stale after 5 minutes. */
  static final long FORGET_AFTER_NANOS = 10L * 60 * 1_000_000_000L;
  /** A bound on remembered scrapers, so a crowd of one-off clients cannot grow the map. */
  static final int MAX_SCRAPERS = 64;

  private static final Set<String> REASON_COUNTERS =
      Set.of(prometheusName(MetricNames.DISCONNECTS), prometheusName(MetricNames.CONNECT_ERRORS));

  private final Map<String, Scraper> scrapers = new HashMap<>();

  private static final class Scraper {
    long lastScrapeNanos;
    final Set<SeriesKey> shown = new HashSet<>();
  }

  private record SeriesKey(String name, Labels labels) {}

  /**
   * @param scraper who is scraping (address and user agent) when it scrapes periodically, empty
   *     for anyone else
   * @param nowNanos a monotonic clock reading
   */
  synchronized MetricSnapshots filter(MetricSnapshots all, Optional<String> scraper, long nowNanos) {
    scrapers.values().removeIf(s -> nowNanos - s.lastScrapeNanos > FORGET_AFTER_NANOS);
    Scraper known = scraper.map(scrapers::get).orElse(null);
    Scraper remembered = known;
    if (known == null && scraper.isPresent() && scrapers.size() < MAX_SCRAPERS) {
      remembered = new Scraper();
      scrapers.put(scraper.get(), remembered);
    }
    Set<SeriesKey> present = new HashSet<>();
    List<MetricSnapshot> out = new ArrayList<>(all.size());
    for (MetricSnapshot snapshot : all) {
      String name = snapshot.getMetadata().getPrometheusName();
      if (snapshot instanceof GaugeSnapshot && name.startsWith("socketio_canary_") && name.endsWith("_seconds_max")) {
        continue;
      }
      if (snapshot instanceof CounterSnapshot counter && REASON_COUNTERS.contains(name)) {
        List<CounterDataPointSnapshot> points = new ArrayList<>();
        for (CounterDataPointSnapshot point : counter.getDataPoints()) {
          if (point.getValue() == 0) {
            continue;
          }
          SeriesKey key = new SeriesKey(name, point.getLabels());
          present.add(key);
          if (known != null && !known.shown.contains(key)) {
            points.add(CounterDataPointSnapshot.builder().value(0).labels(point.getLabels()).build());
          } else {
            points.add(point);
          }
        }
        if (!points.isEmpty()) {
          out.add(new CounterSnapshot(counter.getMetadata(), points));
        }
        continue;
      }
      out.add(snapshot);
    }
    if (remembered != null) {
      // A series that went back to zero (its fleet was restarted) is born again next time.
      remembered.shown.retainAll(present);
      remembered.shown.addAll(present);
      remembered.lastScrapeNanos = nowNanos;
    }
    return new MetricSnapshots(out);
  }

  private static String prometheusName(String dotted) {
    return dotted.replace('.', '_');
  }
}
