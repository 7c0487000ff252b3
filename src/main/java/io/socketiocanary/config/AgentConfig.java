package io.socketiocanary.config;

import java.util.List;
import java.util.Objects;

/**
 * Everything the agent needs, read once at start-up by {@link ConfigLoader}. Immutable and
 * thread-safe.
 *
 * @param http the metrics and status endpoint
 * @param api the mutating API (rollout markers) and its token
 * @param rollout a constant {@code rollout} label on build info, telling apart agents that watch
 *     old and new proxy paths side by side; "" when unset
 * @param vantage where this agent measures from (a zone, a node), a {@code vantage} label on every
 *     metric so replicas watching the same targets stay apart; "" when unset
 * @param sharding which part of the target list this agent watches
 * @param metricDetail how many series each fleet exports (buckets, reason series)
 * @param targets the services to watch, names unique (all of them, before sharding)
 */
public record AgentConfig(HttpSettings http, ApiSettings api, String rollout, String vantage,
    ShardSettings sharding, MetricDetail metricDetail, List<TargetConfig> targets) {
  public AgentConfig {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(vantage, "vantage");
    Objects.requireNonNull(sharding, "sharding");
    Objects.requireNonNull(metricDetail, "metricDetail");
    targets = List.copyOf(targets);
  }

  /** A configuration with no API token, rollout, vantage or sharding, and compact metrics. */
  public AgentConfig(HttpSettings http, List<TargetConfig> targets) {
    this(http, ApiSettings.NONE, "", "", ShardSettings.NONE, MetricDetail.COMPACT, targets);
  }

  /** The targets this agent's shard watches. */
  public List<TargetConfig> ownTargets() {
    return targets.stream().filter(t -> sharding.owns(t.name())).toList();
  }
}
