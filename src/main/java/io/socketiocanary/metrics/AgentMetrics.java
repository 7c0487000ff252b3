package io.socketiocanary.metrics;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.socketiocanary.config.MetricDetail;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;

/**
 * The agent's Prometheus registry: JVM and process metrics from Micrometer's binders plus
 * {@code socketio_canary_build_info}. Fleets add their own meters through {@link FleetMetrics}.
 *
 * <p>Thread-safe.
 */
public final class AgentMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
  private final MetricDetail detail;
  private final CompactExposition compact = new CompactExposition();
  private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.builder().build();

  public AgentMetrics(String version) {
    this(version, "", "", false);
  }

  public AgentMetrics(String version, String rollout, String vantage, boolean tlsInsecure) {
    this(version, rollout, vantage, tlsInsecure, MetricDetail.COMPACT);
  }

  /**
   * @param rollout the {@code rollout} label of build info; "" when not configured
   * @param vantage the {@code vantage} label on every metric; "" for none
   * @param tlsInsecure whether any target skips certificate verification: a {@code tls_insecure}
   *     label on build info, so a lab setting that slipped into production is one query away
   * @param detail how many series each fleet exports ({@code canary.metrics.detail})
   */
  public AgentMetrics(String version, String rollout, String vantage, boolean tlsInsecure, MetricDetail detail) {
    this.detail = detail;
    if (!vantage.isEmpty()) {
      registry.config().commonTags(MetricNames.VANTAGE, vantage);
    }
    // jvm.threads.states takes a thread dump (ThreadMXBean.getThreadInfo of every thread) per state
    // per scrape: in a reconnect storm, when the client starts a Timer thread per attempt, one
    // scrape stalled the event loop for seconds. Live, daemon and peak thread counts stay.
    registry.config().meterFilter(MeterFilter.denyNameStartsWith("jvm.threads.states"));
    if (detail == MetricDetail.COMPACT) {
      registry.config().meterFilter(new CompactBuckets());
    }
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    heapPressure.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // Not Micrometer's FileDescriptorMetrics: it lists /proc/self/fd inside every scrape.
    new CachedFileDescriptorMetrics(ForkJoinPool.commonPool()).bindTo(registry);
    // Micrometer's Prometheus naming strips an "_info" suffix from gauges, so the build info is
    // registered as a native Prometheus Info metric, which renders as socketio_canary_build_info.
    Info.builder()
        .name(MetricNames.BUILD_INFO)
        .help("Always 1; labels describe the running agent")
        .labelNames(MetricNames.VERSION, MetricNames.ROLLOUT, MetricNames.TLS_INSECURE)
        .register(registry.getPrometheusRegistry())
        .addLabelValues(version, rollout, Boolean.toString(tlsInsecure));
  }

  public MeterRegistry registry() {
    return registry;
  }

  public MetricDetail detail() {
    return detail;
  }

  /** The Prometheus text exposition, as anyone who is not a periodic scraper sees it. */
  public String scrape() {
    return scrape(Optional.empty());
  }

  /**
   * The Prometheus text exposition of every meter; in compact mode without the series that
   * {@link CompactExposition} leaves out.
   *
   * @param scraper a periodic scraper's identity (address and user agent), so reason series are
   *     born at zero for it; empty for anyone else
   */
  public String scrape(Optional<String> scraper) {
    if (detail == MetricDetail.FULL) {
      return registry.scrape();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      text.write(out, compact.filter(registry.getPrometheusRegistry().scrape(), scraper, System.nanoTime()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    gcMetrics.close();
    heapPressure.close();
    registry.close();
  }
}
