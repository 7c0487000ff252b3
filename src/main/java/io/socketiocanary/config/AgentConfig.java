package io.socketiocanary.config;

import java.util.List;
import java.util.Objects;

/**
 * Everything the agent needs, read once at start-up by {@link ConfigLoader}. Immutable and
 * thread-safe.
 *
 * @param http the metrics and status endpoint
 * @param targets the services to watch, names unique
 */
public record AgentConfig(HttpSettings http, List<TargetConfig> targets) {
  public AgentConfig {
    Objects.requireNonNull(http, "http");
    targets = List.copyOf(targets);
  }
}
