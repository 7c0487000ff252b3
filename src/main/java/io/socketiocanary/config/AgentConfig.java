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
 * @param targets the services to watch, names unique
 */
public record AgentConfig(HttpSettings http, ApiSettings api, String rollout, List<TargetConfig> targets) {
  public AgentConfig {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(rollout, "rollout");
    targets = List.copyOf(targets);
  }

  /** A configuration with no API token and no rollout label. */
  public AgentConfig(HttpSettings http, List<TargetConfig> targets) {
    this(http, ApiSettings.NONE, "", targets);
  }

  /** The same configuration watching {@code other} targets (the demo supplies its own). */
  public AgentConfig withTargets(List<TargetConfig> other) {
    return new AgentConfig(http, api, rollout, other);
  }
}
