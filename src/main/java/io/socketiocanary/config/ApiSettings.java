package io.socketiocanary.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The agent's own HTTP API. Immutable and thread-safe.
 *
 * @param token the bearer token mutating endpoints require; empty disables them
 * @param recycleSpread a rollout marker or {@code POST /api/recycle} re-establishes every canary's
 *     connection at a random moment within this window, so the service sees no thundering herd
 */
public record ApiSettings(Optional<Secret> token, Duration recycleSpread) {
  public static final Duration DEFAULT_RECYCLE_SPREAD = Duration.ofSeconds(30);
  public static final ApiSettings NONE = new ApiSettings(Optional.empty(), DEFAULT_RECYCLE_SPREAD);
}
