package io.socketiocanary.failure;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Spots something on the path that cuts connections at a fixed age (a proxy's idle timeout, a
 * load balancer's maximum connection age), from the outside, without mistaking periodic events
 * (restarts, deploys, resets every few minutes) for it.
 *
 * <p>The two look alike in lifetimes alone: a fleet's canaries reconnect together after every
 * fleet-wide cut, so if something cuts every connection every 20 s they all die at age 20 s, again
 * and again, exactly as behind a 20 s timeout. What tells them apart is <em>when</em> each
 * connection started. A timeout cuts a connection a fixed time after <em>its</em> start, whenever
 * that was; a periodic event cuts at its own moment, whenever the connection started. So for
 * every cut the detector keeps the lifetime {@code L} and how long before the connection started
 * its canary had been cut ({@code o}, the outage, which varies with the client's reconnect jitter).
 * Behind a timeout {@code L} is the same for every cut while {@code L + o} (time from the previous
 * cut to this one) varies with {@code o}; under a periodic event {@code L + o} is the period and
 * {@code L} varies instead.
 *
 * <p>The claim: the last {@link #WINDOW} connections of the fleet all ended by the transport
 * (closed or failed; never a ping timeout, a probe timeout or a server disconnect), each was its
 * canary's second cut at that age, their lifetimes lie within ±{@link #TOLERANCE} of their median,
 * their outages differed by at least {@link #MIN_START_SPREAD} (the connections started at
 * different moments relative to the cuts before them), and their lifetimes spread at most
 * {@link #MAX_SPREAD_RATIO} as much as the times between cuts. Until the reconnect jitter has
 * spread the starts that far, the detector claims nothing: a fleet whose connections start and die
 * in step is equally explained by either. (With {@code reconnection.randomization = 0} only the
 * handshake times differ, and a timeout may go unnamed: silence, never a false claim.)
 *
 * <p>Not thread-safe: fed by the canaries of one fleet on that fleet's context.
 */
public final class IdleTimeoutDetector {
  static final int WINDOW = 5;
  static final double TOLERANCE = 0.10;
  /**
   * How differently the window's connections must have started, in seconds, before a fixed age
   * can be told from a fixed period: well above the tens of milliseconds by which the moment a
   * canary notices a cut varies. The client's jitter gives less than it seems: its Backoff clamps
   * a delay below reconnection.delay up to it, so half of the first delays are exactly the delay
   * and the rest spread over the half above it, and some windows of five are too even to decide
   * (see docs/java-client-notes.md). Lower floors let noisy periodic cuts through (a unit test).
   */
  static final double MIN_START_SPREAD = 0.15;
  /**
   * Lifetimes must vary at most this fraction as much as the times between cuts. The two
   * explanations meet at 1 (whichever of the two is constant); below it with a margin, because on
   * a loaded machine both spreads carry a few hundred milliseconds of noise.
   */
  static final double MAX_SPREAD_RATIO = 0.75;

  /** One cut the detector weighs. */
  private record Cut(double lifetime, double sincePreviousCut, boolean repeat) {}

  private final Deque<Cut> cuts = new ArrayDeque<>(WINDOW);
  /** Per canary, the age at which its previous connection ended by the transport. */
  private final Map<Integer, Double> previousByCanary = new HashMap<>();
  private OptionalDouble claim = OptionalDouble.empty();

  /**
   * Records a disconnect; returns the suspected fixed age in seconds while the pattern holds.
   *
   * @param outageBeforeSeconds how long the canary had been cut off before this connection
   *     started (its previous outage), absent when no cut came before it (a first connection)
   */
  public OptionalDouble disconnected(int canary, DisconnectReason reason, double lifetimeSeconds,
      OptionalDouble outageBeforeSeconds) {
    if (reason != DisconnectReason.TRANSPORT_CLOSE && reason != DisconnectReason.TRANSPORT_ERROR) {
      // Another kind of disconnect breaks the pattern: it is not the path cutting connections.
      cuts.clear();
      previousByCanary.remove(canary);
      claim = OptionalDouble.empty();
      return claim;
    }
    Double previous = previousByCanary.put(canary, lifetimeSeconds);
    boolean repeat = previous != null && close(previous, lifetimeSeconds) && outageBeforeSeconds.isPresent();
    if (cuts.size() == WINDOW) {
      cuts.removeFirst();
    }
    // Without an outage before, the cut is no repeat, and only repeats' periods are weighed.
    cuts.addLast(new Cut(lifetimeSeconds, lifetimeSeconds + outageBeforeSeconds.orElse(0), repeat));
    claim = weigh();
    return claim;
  }

  /** The suspected fixed age, while the last cuts show one (see the class comment). */
  public OptionalDouble suspected() {
    return claim;
  }

  /**
   * Weighs the window: a fixed age proven sets the claim; a window whose starts were in step
   * proves nothing either way, so it keeps a claim already made at that age (the jitter now and
   * then leaves five connections starting within a few hundred milliseconds, and the gauge must
   * not flap); anything else withdraws it.
   */
  private OptionalDouble weigh() {
    if (cuts.size() < WINDOW || !cuts.stream().allMatch(Cut::repeat)) {
      return OptionalDouble.empty();
    }
    double[] lifetimes = cuts.stream().mapToDouble(Cut::lifetime).sorted().toArray();
    double median = lifetimes[lifetimes.length / 2];
    if (median <= 0 || !java.util.Arrays.stream(lifetimes).allMatch(v -> close(v, median))) {
      return OptionalDouble.empty();
    }
    double lifetimeSpread = lifetimes[lifetimes.length - 1] - lifetimes[0];
    double betweenCutsSpread = spread(cuts.stream().mapToDouble(Cut::sincePreviousCut).toArray());
    if (betweenCutsSpread < MIN_START_SPREAD) {
      return claim.isPresent() && close(median, claim.getAsDouble()) ? claim : OptionalDouble.empty();
    }
    return lifetimeSpread <= MAX_SPREAD_RATIO * betweenCutsSpread ? OptionalDouble.of(median) : OptionalDouble.empty();
  }

  private static double spread(double[] values) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return max - min;
  }

  private static boolean close(double value, double reference) {
    return Math.abs(value - reference) <= TOLERANCE * reference;
  }
}
