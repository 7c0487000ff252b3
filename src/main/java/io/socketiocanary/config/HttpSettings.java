package io.socketiocanary.config;

import java.util.Objects;

/**
 * Where the agent serves {@code /metrics} and its status pages. Immutable and thread-safe.
 *
 * @param host address to bind, never empty
 * @param port 0..65535; 0 asks the operating system for a free port
 */
public record HttpSettings(String host, int port) {
  public HttpSettings {
    Objects.requireNonNull(host, "host");
  }
}
