package io.socketiocanary.failure;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Spots a proxy idle timeout from the outside: when the last {@link #WINDOW} connections of a fleet
 * all ended by the transport (closed or failed, never a ping timeout or a server disconnect) after
 * lifetimes within ±{@link #TOLERANCE} of their median, and each of them is a repeat (its canary's
 * previous connection ended by the transport at the same age too), something cuts connections at
 * that age. A probe or a server ping would have reset an idle timer; a fixed age is the proxy's.
 *
 * <p>Why repeats: a fleet's canaries connect together (at start, and again after every outage,
 * within the client's jitter), so one server restart ends them all at one shared age. Without the
 * repeat rule every deploy looked like an idle timeout at "time since the last deploy" (seen in
 * the scale benchmark: 104–109 s). A timeout cuts the same canary again at the same age.
 *
 * <p>Not thread-safe: fed by the canaries of one fleet on that fleet's context.
 */
public final class IdleTimeoutDetector {
  static final int WINDOW = 5;
  static final double TOLERANCE = 0.10;

  /** The last lifetimes, each marked a repeat or not. */
  private final Deque<double[]> lifetimes = new ArrayDeque<>(WINDOW);
  /** Per canary, the age at which its previous connection ended by the transport. */
  private final Map<Integer, Double> previousByCanary = new HashMap<>();

  /** Records a disconnect; returns the suspected timeout in seconds while the pattern holds. */
  public OptionalDouble disconnected(int canary, DisconnectReason reason, double lifetimeSeconds) {
    if (reason != DisconnectReason.TRANSPORT_CLOSE && reason != DisconnectReason.TRANSPORT_ERROR) {
      // Another kind of disconnect breaks the pattern: it is not a proxy cutting idle connections.
      lifetimes.clear();
      previousByCanary.remove(canary);
      return OptionalDouble.empty();
    }
    Double previous = previousByCanary.put(canary, lifetimeSeconds);
    boolean repeat = previous != null && close(previous, lifetimeSeconds);
    if (lifetimes.size() == WINDOW) {
      lifetimes.removeFirst();
    }
    lifetimes.addLast(new double[] {lifetimeSeconds, repeat ? 1 : 0});
    return suspected();
  }

  /** The suspected timeout, if the last lifetimes cluster and each was its canary's second at that age. */
  public OptionalDouble suspected() {
    if (lifetimes.size() < WINDOW || !lifetimes.stream().allMatch(l -> l[1] == 1)) {
      return OptionalDouble.empty();
    }
    double[] sorted = lifetimes.stream().mapToDouble(l -> l[0]).sorted().toArray();
    double median = sorted[sorted.length / 2];
    if (median <= 0) {
      return OptionalDouble.empty();
    }
    boolean clustered = Arrays.stream(sorted).allMatch(v -> close(v, median));
    return clustered ? OptionalDouble.of(median) : OptionalDouble.empty();
  }

  private static boolean close(double value, double reference) {
    return Math.abs(value - reference) <= TOLERANCE * reference;
  }
}
