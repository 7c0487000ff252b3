package io.socketiocanary.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The session recovery and message continuity meters of one fleet, apart from {@link FleetMetrics}
 * so each can change alone. Recovery meters exist unless the target's recovery is off; continuity
 * meters only for a target with a subscribed event. The supported gauge appears at the first
 * connect, so it never reads a value no handshake gave.
 *
 * <p>Thread-safe: Micrometer meters are, the gauge reads a volatile.
 */
public final class RecoveryMetrics implements AutoCloseable {
  /** The {@code result} label values of the recoveries counter: a bounded set. */
  public static final List<String> RESULTS = List.of("recovered", "new_session", "no_offset");
  /** Silence between consecutive messages: a steady stream sits in the low buckets, an outage above. */
  static final Duration[] SILENCE = {
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
      Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1)};

  private final MeterRegistry registry;
  private final Tags tags;
  private final List<Meter> meters = new ArrayList<>();
  private final List<Counter> recoveries = new ArrayList<>();
  private final Counter missed;
  private final Counter replayed;
  private final Timer silence;
  private volatile double supported;
  private Meter supportedGauge;

  public RecoveryMetrics(MeterRegistry registry, String target, String transport, boolean recovery,
      boolean subscribed) {
    this.registry = registry;
    this.tags = Tags.of(MetricNames.TARGET, target, MetricNames.TRANSPORT, transport);
    if (recovery) {
      for (String result : RESULTS) {
        recoveries.add(keep(Counter.builder(MetricNames.RECOVERIES)
            .description("Reconnects judged for connection state recovery: recovered, new_session, or no_offset"
                + " (no event had arrived to offer an offset)")
            .tags(tags.and(MetricNames.RESULT, result)).register(registry)));
      }
    }
    if (subscribed) {
      missed = keep(Counter.builder(MetricNames.MESSAGES_MISSED)
          .description("Numbers of the subscribed event that never arrived (gaps not replayed)")
          .tags(tags).register(registry));
      replayed = keep(Counter.builder(MetricNames.MESSAGES_REPLAYED)
          .description("Messages of the subscribed event replayed by a restored session")
          .tags(tags).register(registry));
      silence = keep(Timer.builder(MetricNames.MESSAGE_SILENCE)
          .description("Silence between two consecutive messages of the subscribed event")
          .tags(tags).serviceLevelObjectives(SILENCE).register(registry));
    } else {
      missed = null;
      replayed = null;
      silence = null;
    }
  }

  /** A judged reconnect; {@code result} is one of {@link #RESULTS}. */
  public void recovery(String result) {
    int i = RESULTS.indexOf(result);
    if (i >= 0 && !recoveries.isEmpty()) {
      recoveries.get(i).increment();
    }
  }

  /** Whether the server's last CONNECT answer offered recovery (carried a pid). */
  public synchronized void supported(boolean offered) {
    supported = offered ? 1 : 0;
    if (supportedGauge == null) {
      supportedGauge = keep(Gauge.builder(MetricNames.RECOVERY_SUPPORTED, this, m -> m.supported)
          .description("1 when the server's last CONNECT answer offered connection state recovery (a pid), else 0")
          .tags(tags).register(registry));
    }
  }

  public void messages(long missedCount, boolean wasReplayed, double silenceSeconds) {
    if (missed == null) {
      return;
    }
    if (missedCount > 0) {
      missed.increment(missedCount);
    }
    if (wasReplayed) {
      replayed.increment();
    }
    if (!Double.isNaN(silenceSeconds)) {
      silence.record(Duration.ofNanos(Math.round(silenceSeconds * 1e9)));
    }
  }

  @Override
  public synchronized void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }

  private <M extends Meter> M keep(M meter) {
    synchronized (meters) {
      meters.add(meter);
    }
    return meter;
  }
}
