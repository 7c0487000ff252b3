package io.socketiocanary.config;

import java.util.Objects;

/**
 * A credential that must never reach a log line, a metric or an error text: {@link #toString()}
 * is redacted and only {@link #reveal()} gives the value, so every use is greppable. Immutable and
 * thread-safe.
 */
public final class Secret {
  private final String value;

  public Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** The secret value; call this only where it leaves the process (the auth payload). */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret secret && secret.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "[redacted]";
  }
}
