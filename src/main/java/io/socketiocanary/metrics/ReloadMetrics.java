package io.socketiocanary.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The outcome of configuration reloads, as Prometheus exports its own:
 * {@code socketio_canary_config_last_reload_successful} and
 * {@code socketio_canary_config_last_reload_success_timestamp_seconds}. Thread-safe.
 */
public final class ReloadMetrics {
  private volatile double lastSuccessful = 1;
  private volatile double lastSuccessSeconds = System.currentTimeMillis() / 1000.0;

  /** Registers both gauges; the config loaded at start-up counts as the first success. */
  public ReloadMetrics(MeterRegistry registry) {
    Gauge.builder(MetricNames.CONFIG_RELOAD_SUCCESSFUL, this, r -> r.lastSuccessful)
        .description("1 when the last configuration reload succeeded, 0 when the new config was rejected")
        .register(registry);
    Gauge.builder(MetricNames.CONFIG_RELOAD_SUCCESS_TIMESTAMP, this, r -> r.lastSuccessSeconds)
        .baseUnit("seconds")
        .description("When the configuration was last loaded successfully (unix seconds)")
        .register(registry);
  }

  public void succeeded() {
    lastSuccessful = 1;
    lastSuccessSeconds = System.currentTimeMillis() / 1000.0;
  }

  public void failed() {
    lastSuccessful = 0;
  }
}
