package io.socketiocanary.client.compat;

import io.socket.client.Manager;

/**
 * Gives a {@link Manager} the reconnection jitter the target asked for, 0 included.
 *
 * <p>Why: socket.io-client 2.1.2's {@code Manager} constructor reads
 * {@code opts.randomizationFactor != 0.0 ? opts.randomizationFactor : 0.5}, so 0 ("no jitter")
 * becomes 0.5. The public setter, called after construction, also reaches the Manager's Backoff.
 *
 * <p>Guarded: {@code RandomizationFactorTest} checks that the constructor still does this; when
 * a library update fixes it, that test fails and this class can go. No run-time fallback is
 * needed: the setter is public API.
 */
public final class RandomizationFactor {
  private RandomizationFactor() {}

  /** Sets {@code factor} on {@code manager} after its constructor may have replaced a 0. */
  public static void apply(Manager manager, double factor) {
    manager.randomizationFactor(factor);
  }
}
