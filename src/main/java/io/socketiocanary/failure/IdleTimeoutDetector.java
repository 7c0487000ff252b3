package io.socketiocanary.failure;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.OptionalDouble;

/**
 * Spots a proxy idle timeout from the outside: when the last {@link #WINDOW} connections of a fleet
 * all ended by the transport (closed or failed, never a ping timeout or a server disconnect) after
 * lifetimes within ±{@link #TOLERANCE} of their median, something cuts connections at that age.
 * A probe or a server ping would have reset an idle timer; a fixed age is the proxy's.
 *
 * <p>Not thread-safe: fed by the canaries of one fleet on that fleet's context.
 */
public final class IdleTimeoutDetector {
  static final int WINDOW = 5;
  static final double TOLERANCE = 0.10;

  private final Deque<Double> lifetimes = new ArrayDeque<>(WINDOW);

  /** Records a disconnect; returns the suspected timeout in seconds while the pattern holds. */
  public OptionalDouble disconnected(DisconnectReason reason, double lifetimeSeconds) {
    if (reason != DisconnectReason.TRANSPORT_CLOSE && reason != DisconnectReason.TRANSPORT_ERROR) {
      // Another kind of disconnect breaks the pattern: it is not a proxy cutting idle connections.
      lifetimes.clear();
      return OptionalDouble.empty();
    }
    if (lifetimes.size() == WINDOW) {
      lifetimes.removeFirst();
    }
    lifetimes.addLast(lifetimeSeconds);
    return suspected();
  }

  /** The suspected timeout, if the last lifetimes cluster. */
  public OptionalDouble suspected() {
    if (lifetimes.size() < WINDOW) {
      return OptionalDouble.empty();
    }
    double[] sorted = lifetimes.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = sorted[sorted.length / 2];
    if (median <= 0) {
      return OptionalDouble.empty();
    }
    boolean clustered = Arrays.stream(sorted).allMatch(v -> Math.abs(v - median) <= TOLERANCE * median);
    return clustered ? OptionalDouble.of(median) : OptionalDouble.empty();
  }
}
