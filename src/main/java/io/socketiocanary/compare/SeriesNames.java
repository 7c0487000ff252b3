package io.socketiocanary.compare;

import io.socketiocanary.metrics.MetricNames;

/**
 * The Prometheus series names the comparison reads, derived from {@link MetricNames} the way the
 * Prometheus registry renders them (dots to underscores, {@code _total} on counters,
 * {@code _seconds} on timers), so a renamed metric cannot leave this command behind.
 */
final class SeriesNames {
  private SeriesNames() {}

  static final String CLIENTS = gauge(MetricNames.CLIENTS);
  static final String CONNECTED = gauge(MetricNames.CONNECTED);
  static final String DISCONNECTS = counter(MetricNames.DISCONNECTS);
  static final String CONNECT_ERRORS = counter(MetricNames.CONNECT_ERRORS);
  static final String PROBE_FAILURES = counter(MetricNames.PROBE_FAILURES);
  static final String RECONNECT_BUCKETS = timerBuckets(MetricNames.RECONNECT_DURATION);
  static final String LIFETIME_BUCKETS = timerBuckets(MetricNames.CONNECTION_LIFETIME);
  /** Reconnects judged for session recovery, by {@code result}; exported unless a target's recovery is off. */
  static final String RECOVERIES = counter(MetricNames.RECOVERIES);
  /** Subscribed messages never received; exported only for targets with a subscribed event. */
  static final String MESSAGES_MISSED = counter(MetricNames.MESSAGES_MISSED);
  /** Reconnects measured by outage drills; exported only by agents that run drills. */
  static final String DRILL_RECONNECT_BUCKETS = "socketio_canary_drill_reconnect_duration_seconds_bucket";
  /** Rollout markers from {@code POST /api/markers}: value = the marker's unix time. */
  static final String MARKER = "socketio_canary_marker_timestamp_seconds";
  /** Connected canaries on a connection from before the latest marker or recycle request. */
  static final String STALE_CONNECTIONS = gauge(MetricNames.STALE_CONNECTIONS);
  /** Always 1 per agent, with its {@code version} and {@code rollout} labels. */
  static final String BUILD_INFO = MetricNames.BUILD_INFO;

  private static String gauge(String dotted) {
    return dotted.replace('.', '_');
  }

  private static String counter(String dotted) {
    return gauge(dotted) + "_total";
  }

  private static String timerBuckets(String dotted) {
    return gauge(dotted) + "_seconds_bucket";
  }
}
