package io.socketiocanary.config;

import java.util.Optional;

/**
 * The agent's own HTTP API. Immutable and thread-safe.
 *
 * @param token the bearer token mutating endpoints require; empty disables them
 */
public record ApiSettings(Optional<Secret> token) {
  public static final ApiSettings NONE = new ApiSettings(Optional.empty());
}
