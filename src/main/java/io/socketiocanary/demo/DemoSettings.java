package io.socketiocanary.demo;

import java.time.Duration;

/**
 * Timing of the demo target: the proxy's idle timeout and the server's heartbeat. With the
 * defaults (8 s idle, 20 s ping interval) the proxy cuts every connection about 8 s after its
 * last byte, the nginx {@code proxy_read_timeout} incident scaled down to seconds.
 */
public record DemoSettings(Duration proxyIdleTimeout, Duration pingInterval, Duration pingTimeout) {

  public DemoSettings {
    positive(proxyIdleTimeout, "proxyIdleTimeout");
    positive(pingInterval, "pingInterval");
    positive(pingTimeout, "pingTimeout");
  }

  /** 8 s idle timeout, 20 s ping interval, 10 s ping timeout. */
  public static DemoSettings defaults() {
    return new DemoSettings(Duration.ofSeconds(8), Duration.ofSeconds(20), Duration.ofSeconds(10));
  }

  private static void positive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
