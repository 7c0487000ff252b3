package io.socketiocanary.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Replaces the fleet histograms' full bucket sets ({@link FleetMetrics} registers those) with the
 * compact ones when {@code canary.metrics.detail = compact}: a meter filter, so the registration
 * code stays the same for both levels. Stateless and thread-safe.
 */
final class CompactBuckets implements MeterFilter {
  private static final Map<String, Duration[]> BY_NAME = Map.of(
      MetricNames.CONNECTION_LIFETIME, Buckets.COMPACT_CONNECTION_LIFETIME,
      MetricNames.RECONNECT_DURATION, Buckets.COMPACT_RECONNECT_DURATION,
      MetricNames.DRILL_RECONNECT_DURATION, Buckets.COMPACT_RECONNECT_DURATION,
      MetricNames.HANDSHAKE_DURATION, Buckets.COMPACT_HANDSHAKE_DURATION,
      MetricNames.PROBE_DURATION, Buckets.COMPACT_PROBE_DURATION);

  @Override
  public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
    Duration[] buckets = BY_NAME.get(id.getName());
    if (buckets == null) {
      return config;
    }
    // Timers keep their boundaries in nanoseconds; a value set here wins over the meter's own.
    double[] nanos = Arrays.stream(buckets).mapToDouble(Duration::toNanos).toArray();
    return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
  }
}
