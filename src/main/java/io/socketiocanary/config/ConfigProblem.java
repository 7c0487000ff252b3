package io.socketiocanary.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration. Immutable and thread-safe.
 *
 * <p>{@link #toString()} is a public contract, one line: {@code <path>: <message> (<origin>)}, for
 * example {@code targets[1].idle: expected a duration such as 90s, got "ninety"
 * (canary.conf:14)}. Problems that belong to no key (a syntax error, an unreadable file) have an
 * empty path and print without the {@code "<path>: "} prefix; problems with no known origin print
 * without the parenthesis.
 *
 * @param path the key path relative to {@code canary}, with list indexes: {@code targets[1].idle}
 * @param message what is wrong and what was expected; never contains a secret
 * @param origin file base name and line, {@code canary.conf:14}, or just a name, or empty
 */
public record ConfigProblem(String path, String message, String origin) {
  public ConfigProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(origin, "origin");
  }

  @Override
  public String toString() {
    String line = path.isEmpty() ? message : path + ": " + message;
    return origin.isEmpty() ? line : line + " (" + origin + ")";
  }
}
