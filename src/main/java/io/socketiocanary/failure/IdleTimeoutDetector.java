package io.socketiocanary.failure;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * Behind a timeout {@code L} does not depend on {@code o}; under a periodic event {@code L + o} is
 * the period, so {@code L} falls one for one as {@code o} grows. The detector fits the line
 * {@code L = a + b·o} through the fleet's recent cuts: a slope near 0 is a fixed age, near −1 a
 * fixed period.
 *
 * <p>The claim: the last {@link #MIN_CUTS} or more connections of the fleet (up to
 * {@link #MAX_CUTS}) all ended by the transport (closed or failed; never a ping timeout, a probe
 * timeout or a server disconnect), each was its canary's second cut at that age, their lifetimes
 * lie within ±{@link #TOLERANCE} of their median, and the slope is nearer 0 than −1 with the
 * period rejected by as many standard errors as Student's t asks at 1 in 10,000. The standard
 * error grows with the noise on the lifetimes (a busy machine notices cuts late) and shrinks as
 * the outages spread, so noisy cuts or outages in step (the client's jitter is coarse: its Backoff
 * clamps half of all first delays to exactly reconnection.delay, see docs/java-client-notes.md)
 * leave the detector undecided, not wrong: it waits for more cuts. (With
 * {@code reconnection.randomization = 0} the outages barely differ, and a timeout may go unnamed:
 * silence rather than a guess.)
 *
 * <p>Not thread-safe: fed by the canaries of one fleet on that fleet's context.
 */
public final class IdleTimeoutDetector {
  /**
   * Fewest cuts a claim rests on. The slope's standard error is estimated from the same cuts:
   * with fewer, its t statistic (n − 2 degrees of freedom) has tails so heavy that the slope
   * would have to lie implausibly many standard errors from −1 (22 at five cuts).
   */
  static final int MIN_CUTS = 8;
  /**
   * Most recent cuts weighed. More than the quiet case needs (8–16): lifetimes that differ by a
   * tenth of a second (polling_upgrade behind HAProxy lives 3.0 or 3.1 s) need 15–40 before the
   * fit is sure. A change of age does not wait for old cuts to leave: it breaks the run of repeats.
   */
  static final int MAX_CUTS = 32;
  static final double TOLERANCE = 0.10;
  /**
   * How many standard errors the slope must lie above −1 (a fixed period) before a fixed age is
   * claimed, by degrees of freedom (cuts − 2): Student's t one-sided at 1 in 10,000, so periodic
   * cuts pass by chance about once in ten thousand weighings, whatever the noise (if roughly normal).
   */
  private static final double[] REJECT_T = {
    8.02, 7.06, 6.44, 6.01, 5.69, 5.45, 5.26, 5.11, 4.99, 4.88, 4.79, 4.71, 4.65,
    4.59, 4.54, 4.49, 4.45, 4.42, 4.38, 4.35, 4.32, 4.30, 4.28, 4.25, 4.23,
  };
  /**
   * Least noise assumed on a lifetime, in seconds: lifetimes are timed to the millisecond and a
   * cut is noticed a few milliseconds late at best, so a fit through exactly equal lifetimes
   * (synthetic, or rounded) does not make the error zero.
   */
  static final double MIN_NOISE_SECONDS = 0.003;

  /** One cut the detector weighs. */
  private record Cut(double lifetime, double outageBefore, boolean repeat) {}

  /** What the fleet's recent cuts say. */
  public enum Verdict { FIXED_AGE, UNDECIDED, NOT_FIXED_AGE }

  /**
   * The last fit, for the log: over how many cuts, the slope of lifetime on outage (0 a fixed age,
   * −1 a fixed period), its standard error and the t that a verdict needed.
   */
  public record Weighing(int cuts, double slope, double standardError, double rejectT, Verdict verdict) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s over %d cuts: slope %.3f ± %.3f (t needed %.2f)",
          verdict, cuts, slope, standardError, rejectT);
    }
  }

  private final Deque<Cut> cuts = new ArrayDeque<>(MAX_CUTS);
  /** Per canary, the age at which its previous connection ended by the transport. */
  private final Map<Integer, Double> previousByCanary = new HashMap<>();
  private OptionalDouble claim = OptionalDouble.empty();
  private Optional<Weighing> lastWeighing = Optional.empty();

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
      lastWeighing = Optional.empty();
      claim = OptionalDouble.empty();
      return claim;
    }
    Double previous = previousByCanary.put(canary, lifetimeSeconds);
    boolean repeat = previous != null && close(previous, lifetimeSeconds) && outageBeforeSeconds.isPresent();
    if (cuts.size() == MAX_CUTS) {
      cuts.removeFirst();
    }
    cuts.addLast(new Cut(lifetimeSeconds, outageBeforeSeconds.orElse(0), repeat));
    claim = weigh();
    return claim;
  }

  /** The suspected fixed age, while the last cuts show one (see the class comment). */
  public OptionalDouble suspected() {
    return claim;
  }

  /** The fit behind the last disconnect's answer; absent when too few cuts at one age to fit. */
  public Optional<Weighing> lastWeighing() {
    return lastWeighing;
  }

  /**
   * Weighs the latest run of repeats: a fixed age proven sets the claim; a run that cannot tell
   * keeps a claim already made at that age (the jitter now and then leaves a run of outages too
   * even to decide, and the gauge must not flap); anything else withdraws it.
   */
  private OptionalDouble weigh() {
    lastWeighing = Optional.empty();
    Cut[] run = latestRepeats();
    if (run.length < MIN_CUTS) {
      return OptionalDouble.empty();
    }
    double[] lifetimes = Arrays.stream(run).mapToDouble(Cut::lifetime).sorted().toArray();
    double median = lifetimes[lifetimes.length / 2];
    if (median <= 0 || !Arrays.stream(lifetimes).allMatch(v -> close(v, median))) {
      return OptionalDouble.empty();
    }
    lastWeighing = Optional.of(fit(run));
    return switch (lastWeighing.get().verdict()) {
      case FIXED_AGE -> OptionalDouble.of(median);
      case UNDECIDED -> claim.isPresent() && close(median, claim.getAsDouble()) ? claim : OptionalDouble.empty();
      case NOT_FIXED_AGE -> OptionalDouble.empty();
    };
  }

  /** The newest cuts back to (not including) the latest that was no repeat. */
  private Cut[] latestRepeats() {
    Deque<Cut> run = new ArrayDeque<>(cuts.size());
    for (Iterator<Cut> newestFirst = cuts.descendingIterator(); newestFirst.hasNext(); ) {
      Cut cut = newestFirst.next();
      if (!cut.repeat()) {
        break;
      }
      run.addFirst(cut);
    }
    return run.toArray(Cut[]::new);
  }

  /** Least-squares slope of lifetime on outage over the run, and how sure it is. */
  private static Weighing fit(Cut[] run) {
    int n = run.length;
    double meanO = Arrays.stream(run).mapToDouble(Cut::outageBefore).average().orElseThrow();
    double meanL = Arrays.stream(run).mapToDouble(Cut::lifetime).average().orElseThrow();
    double sxx = 0;
    double sxy = 0;
    for (Cut cut : run) {
      sxx += (cut.outageBefore() - meanO) * (cut.outageBefore() - meanO);
      sxy += (cut.outageBefore() - meanO) * (cut.lifetime() - meanL);
    }
    double rejectT = REJECT_T[Math.min(n - MIN_CUTS, REJECT_T.length - 1)];
    if (sxx == 0) {
      return new Weighing(n, Double.NaN, Double.POSITIVE_INFINITY, rejectT, Verdict.UNDECIDED);
    }
    double slope = sxy / sxx;
    double residuals = 0;
    for (Cut cut : run) {
      double r = cut.lifetime() - meanL - slope * (cut.outageBefore() - meanO);
      residuals += r * r;
    }
    double noise = Math.max(Math.sqrt(residuals / (n - 2)), MIN_NOISE_SECONDS);
    double standardError = noise / Math.sqrt(sxx);
    Verdict verdict = Verdict.UNDECIDED;
    if (Math.abs(slope) < 0.5 && (slope + 1) / standardError >= rejectT) {
      verdict = Verdict.FIXED_AGE;
    } else if (Math.abs(slope + 1) < 0.5 && -slope / standardError >= rejectT) {
      verdict = Verdict.NOT_FIXED_AGE;
    }
    return new Weighing(n, slope, standardError, rejectT, verdict);
  }

  private static boolean close(double value, double reference) {
    return Math.abs(value - reference) <= TOLERANCE * reference;
  }
}
