package io.socketiocanary.continuity;

/**
 * Message continuity of one canary on a numbered event: which numbers never arrived (missed),
 * which arrived replayed by a restored session, and the silence before each arrival. Pure: the
 * caller passes the clock. Memory is fixed ({@link #WINDOW} bits) whatever the server sends.
 *
 * <p>How numbers are judged, against the highest number seen so far:
 * <ul>
 *   <li>above it: the numbers in between are counted missed at once. Socket.IO delivers a
 *       connection's events in order and a restored session replays before it answers CONNECT, so
 *       a gap seen on the live stream is never filled later;
 *   <li>at or below it within the window: a duplicate if already seen (ignored), else late (it
 *       was counted missed when its gap was seen, and is not counted again);
 *   <li>below the window, a jump of more than {@link #MAX_JUMP}, or the first number after
 *       {@link #newSession()} that is not above it: the server's numbering started over (a
 *       restart), and this number is the new baseline, nothing counted.
 * </ul>
 *
 * <p>Not thread-safe: one owner (the canary's context) calls it.
 */
public final class SequenceContinuity {
  /** How many numbers below the highest are remembered for duplicates and late arrivals. */
  public static final int WINDOW = 4096;
  /** A jump forward larger than this is a new numbering, not a gap. */
  public static final long MAX_JUMP = 1_000_000;

  /**
   * What one arrival meant.
   *
   * @param missed numbers newly counted as missed
   * @param replayed whether it counts as a replayed message (new, and replayed)
   * @param kind how the number related to the ones before
   * @param silenceSeconds time since the previous arrival; NaN for the first
   */
  public record Step(long missed, boolean replayed, Kind kind, double silenceSeconds) {}

  /** How an arrival's number related to the ones before. */
  public enum Kind { FIRST, NEXT, GAP, DUPLICATE, LATE, RESTART }

  private final long[] seen = new long[WINDOW / 64];
  private boolean started;
  private long highest;
  private boolean hasLast;
  private long lastNanos;
  private boolean newSession;

  /** The next connection is a new session: its numbering may have started over. */
  public void newSession() {
    newSession = true;
  }

  public Step onEvent(long seq, boolean replayed, long nanos) {
    double silence = hasLast ? Math.max(0, nanos - lastNanos) / 1e9 : Double.NaN;
    hasLast = true;
    lastNanos = nanos;
    boolean afterNewSession = newSession;
    newSession = false;
    if (!started) {
      baseline(seq);
      return new Step(0, replayed, Kind.FIRST, silence);
    }
    // Numbers may be any long: compare distances without overflow.
    boolean farBelow = seq < highest && highest - WINDOW < highest && seq <= highest - WINDOW;
    boolean farAbove = seq > highest && highest + MAX_JUMP > highest && seq > highest + MAX_JUMP;
    if ((afterNewSession && seq <= highest) || farBelow || farAbove) {
      baseline(seq);
      return new Step(0, replayed, Kind.RESTART, silence);
    }
    if (seq > highest) {
      long missed = seq - highest - 1;
      advanceTo(seq);
      return new Step(missed, replayed, missed == 0 ? Kind.NEXT : Kind.GAP, silence);
    }
    if (isSeen(seq)) {
      return new Step(0, false, Kind.DUPLICATE, silence);
    }
    mark(seq);
    return new Step(0, replayed, Kind.LATE, silence);
  }

  private void baseline(long seq) {
    java.util.Arrays.fill(seen, 0L);
    started = true;
    highest = seq;
    mark(seq);
  }

  private void advanceTo(long seq) {
    if (seq - highest >= WINDOW) {
      java.util.Arrays.fill(seen, 0L);
    } else {
      for (long n = highest + 1; n < seq; n++) {
        clear(n);
      }
    }
    highest = seq;
    mark(seq);
  }

  private static int slot(long seq) {
    return (int) Math.floorMod(seq, (long) WINDOW);
  }

  private boolean isSeen(long seq) {
    int i = slot(seq);
    return (seen[i >>> 6] & (1L << (i & 63))) != 0;
  }

  private void mark(long seq) {
    int i = slot(seq);
    seen[i >>> 6] |= 1L << (i & 63);
  }

  private void clear(long seq) {
    int i = slot(seq);
    seen[i >>> 6] &= ~(1L << (i & 63));
  }
}
