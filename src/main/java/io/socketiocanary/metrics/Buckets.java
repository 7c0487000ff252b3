package io.socketiocanary.metrics;

import java.time.Duration;
import java.util.Arrays;

/**
 * Histogram bucket boundaries. They are chosen per question, not from a generic exponential
 * series, because each histogram answers a specific on-call question.
 */
final class Buckets {
  private Buckets() {}

  /**
   * Idle timeouts proxies and load balancers commonly ship with or are set to: nginx
   * proxy_read_timeout 60 s, AWS ALB 60 s / 350 s (NLB), GCP 30 s / 600 s, HAProxy tunnel
   * timeouts, Cloudflare 100 s, Azure 4 min, plus the short ones used in drills and demos.
   */
  static final double[] COMMON_IDLE_TIMEOUTS = {
    1, 2, 3, 4, 5, 8, 10, 15, 20, 30, 45, 60, 90, 100, 120, 180, 240, 300, 350, 600, 900, 1800,
    3600, 7200, 14400, 43200, 86400
  };

  /**
   * Lifetime boundaries: 0.95·T and 1.05·T around each common timeout T, so connections cut at T
   * land together in one narrow bucket instead of being smeared into a wide one. Both sides are
   * needed: measured from the client's connect event, a WebSocket cut by nginx at 3 s lives
   * 2.985–3.001 s, a long-poll 3.005–3.008 s.
   */
  static final Duration[] CONNECTION_LIFETIME =
      seconds(Arrays.stream(COMMON_IDLE_TIMEOUTS)
          .flatMap(t -> Arrays.stream(new double[] {round(t * 0.95), round(t * 1.05)}))
          .distinct()
          .sorted()
          .toArray());

  /** Reconnect outages: from a fast local retry (tens of ms) to a long outage (10 min). */
  static final Duration[] RECONNECT_DURATION =
      seconds(0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20, 30, 60, 120, 300, 600);

  /** Connect start to namespace connected. */
  static final Duration[] HANDSHAKE_DURATION =
      seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60);

  /** Probe emit to ack: a healthy path answers in milliseconds. */
  static final Duration[] PROBE_DURATION =
      seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);

  /*
   * Compact boundaries (canary.metrics.detail = compact, the default). Each set is a subset of
   * the full one above, so a query or a `compare` across agents in both modes can use the bounds
   * they share, and it holds every `le` an alert or its tests name (reconnect: 1, 5, 10, 30).
   */

  /**
   * Lifetimes: the 1.05·T edge of the common timeouts an on-call engineer tells apart by order of
   * magnitude. The exact age a proxy cuts at is socketio_canary_suspected_idle_timeout_seconds,
   * computed by the agent from every lifetime, so these buckets need not find it.
   */
  static final Duration[] COMPACT_CONNECTION_LIFETIME =
      seconds(Arrays.stream(new double[] {2, 5, 10, 30, 60, 100, 300, 600, 1800, 3600, 86400})
          .map(t -> round(t * 1.05)).toArray());

  /** Outages: the alert's 10 s, a fast retry, the default backoff range (1–5 s), long outages. */
  static final Duration[] COMPACT_RECONNECT_DURATION = seconds(0.1, 0.5, 1, 2, 5, 10, 30, 60, 300);

  static final Duration[] COMPACT_HANDSHAKE_DURATION = seconds(0.01, 0.05, 0.25, 1, 5, 20);

  static final Duration[] COMPACT_PROBE_DURATION = seconds(0.005, 0.025, 0.1, 0.5, 2.5);

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static Duration[] seconds(double... values) {
    return Arrays.stream(values)
        .mapToObj(v -> Duration.ofNanos(Math.round(v * 1e9)))
        .toArray(Duration[]::new);
  }
}
