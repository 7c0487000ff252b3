package io.socketiocanary.agent;

import org.slf4j.LoggerFactory;

/**
 * SIGHUP for configuration reloads. The JVM would otherwise treat SIGHUP as a request to exit;
 * {@code sun.misc.Signal} (module jdk.unsupported, kept for exactly this use) lets us take it.
 */
final class Signals {
  private Signals() {}

  @SuppressWarnings("restriction")
  static void onHangup(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // -Xrs, or a platform without SIGHUP: reloads still happen when the file changes.
      LoggerFactory.getLogger(Signals.class).warn("SIGHUP reloads unavailable: {}", e.getMessage());
    }
  }
}
