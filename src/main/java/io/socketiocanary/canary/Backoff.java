package io.socketiocanary.canary;

import io.socketiocanary.config.ReconnectionSettings;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Jittered exponential backoff with the same formula and settings as the Socket.IO clients, for
 * the retries the Java client does not make by itself (after {@code io server disconnect}, a
 * middleware rejection or {@code reconnect_failed}): delay·2^n, spread by ±randomization, capped.
 *
 * <p>Not thread-safe: owned by one canary on its fleet's context.
 */
final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private final double jitter;
  private int attempts;

  Backoff(ReconnectionSettings settings) {
    this.minMillis = Math.max(1, settings.delay().toMillis());
    this.maxMillis = Math.max(minMillis, settings.delayMax().toMillis());
    this.jitter = settings.randomization();
  }

  long nextDelayMillis() {
    double ms = minMillis * Math.pow(2, Math.min(attempts++, 30));
    if (jitter > 0) {
      double rand = ThreadLocalRandom.current().nextDouble();
      double deviation = Math.floor(rand * jitter * ms);
      ms = ThreadLocalRandom.current().nextBoolean() ? ms - deviation : ms + deviation;
    }
    return (long) Math.max(1, Math.min(ms, maxMillis));
  }

  void reset() {
    attempts = 0;
  }
}
