package io.socketiocanary.metrics;

/**
 * Every metric name and label the agent exposes, defined once. Names are Micrometer's dotted
 * form; the Prometheus registry renders {@code socketio.canary.connects} as
 * {@code socketio_canary_connects_total} and timers as {@code ..._seconds}. The rendered names
 * are a public contract: dashboards, alert rules, the README and users' queries depend on them,
 * and {@code MetricsContractTest} checks all of those against what the agent really exposes.
 */
public final class MetricNames {
  private MetricNames() {}

  public static final String CLIENTS = "socketio.canary.clients";
  public static final String CONNECTED = "socketio.canary.connected";
  public static final String UP = "socketio.canary.up";
  public static final String CONNECTS = "socketio.canary.connects";
  public static final String DISCONNECTS = "socketio.canary.disconnects";
  public static final String RECONNECT_DURATION = "socketio.canary.reconnect.duration";
  public static final String CONNECTION_LIFETIME = "socketio.canary.connection.lifetime";
  public static final String RECONNECT_ATTEMPTS = "socketio.canary.reconnect.attempts";
  public static final String CONNECT_ERRORS = "socketio.canary.connect.errors";
  public static final String RECONNECT_FAILED = "socketio.canary.reconnect.failed";
  public static final String HANDSHAKE_DURATION = "socketio.canary.handshake.duration";
  public static final String PROBE_DURATION = "socketio.canary.probe.duration";
  public static final String PROBE_FAILURES = "socketio.canary.probe.failures";
  public static final String SERVER_PING_INTERVAL = "socketio.canary.server.ping.interval";
  public static final String SERVER_PING_TIMEOUT = "socketio.canary.server.ping.timeout";
  public static final String UPGRADES = "socketio.canary.upgrades";
  public static final String TRANSPORT_GAUGE = "socketio.canary.transport";
  public static final String SUSPECTED_IDLE_TIMEOUT = "socketio.canary.suspected.idle.timeout";
  public static final String DRILLS = "socketio.canary.drills";
  public static final String DRILL_RECONNECT_DURATION = "socketio.canary.drill.reconnect.duration";
  public static final String CONFIG_RELOAD_SUCCESSFUL = "socketio.canary.config.last.reload.successful";
  public static final String CONFIG_RELOAD_SUCCESS_TIMESTAMP = "socketio.canary.config.last.reload.success.timestamp";
  public static final String MARKER_TIMESTAMP = "socketio.canary.marker.timestamp";
  public static final String AGENT_LAG = "socketio.canary.agent.lag";
  public static final String RECONNECTS_EXCLUDED = "socketio.canary.reconnects.excluded";
  /** Connections re-established on purpose by a rollout recycle; never counted as disconnects. */
  public static final String RECYCLES = "socketio.canary.recycles";
  /** Connected canaries still on a connection from before the latest marker or recycle request. */
  public static final String STALE_CONNECTIONS = "socketio.canary.stale.connections";
  /** Reconnects judged for connection state recovery, by {@link #RESULT}. */
  public static final String RECOVERIES = "socketio.canary.recoveries";
  /** 1 when the server's last CONNECT answer offered connection state recovery. */
  public static final String RECOVERY_SUPPORTED = "socketio.canary.recovery.supported";
  /** Numbers of the subscribed event that never arrived. */
  public static final String MESSAGES_MISSED = "socketio.canary.messages.missed";
  /** Messages of the subscribed event replayed by a restored session. */
  public static final String MESSAGES_REPLAYED = "socketio.canary.messages.replayed";
  /** Silence between two consecutive messages of the subscribed event. */
  public static final String MESSAGE_SILENCE = "socketio.canary.message.silence";
  public static final String BUILD_INFO = "socketio_canary_build_info";

  /** Label on every canary metric: the configured target name. */
  public static final String TARGET = "target";
  /** Label on every canary metric: the transport mode of the fleet. */
  public static final String TRANSPORT = "transport";
  /** Label on disconnect and connect-error counters: a value from a bounded enum. */
  public static final String REASON = "reason";
  /** Label on the upgrades counter: success or failure. */
  public static final String RESULT = "result";
  /** Label on the transport gauge: the transport canaries are on now, polling or websocket. */
  public static final String NAME = "name";
  /** Label on every metric when configured: where this agent measures from. */
  public static final String VANTAGE = "vantage";
  /** Label on build info. */
  public static final String VERSION = "version";
  /** Label on build info: the configured rollout name, telling side-by-side agents apart. */
  public static final String ROLLOUT = "rollout";
  /** Label on build info: "true" when any target skips TLS certificate verification. */
  public static final String TLS_INSECURE = "tls_insecure";
  /** Label on the agent lag gauge: one of a fixed set of the agent's own loops (see selfwatch.LoopNames). */
  public static final String LOOP = "loop";
  /** Label on the marker timestamp gauge: the marker's label. */
  public static final String MARKER = "marker";
}
