package io.socketiocanary.selfwatch;

/**
 * The largest value seen over the last {@link #SECONDS} seconds, in one-second buckets: bounded
 * memory, and a stall stays visible for a whole scrape interval after it ended.
 *
 * <p>Not thread-safe: the owner synchronizes.
 */
final class RecentMax {
  static final int SECONDS = 60;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final long[] max = new long[SECONDS];
  private final long[] second = new long[SECONDS];
  private final boolean[] used = new boolean[SECONDS];

  void record(long nowNanos, long value) {
    long s = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
    int i = Math.floorMod(s, SECONDS);
    if (!used[i] || second[i] != s) {
      used[i] = true;
      second[i] = s;
      max[i] = value;
    } else {
      max[i] = Math.max(max[i], value);
    }
  }

  /** The largest value recorded in the {@link #SECONDS} seconds up to {@code nowNanos}; 0 if none. */
  long max(long nowNanos) {
    long s = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
    long result = 0;
    for (int i = 0; i < SECONDS; i++) {
      if (used[i] && second[i] > s - SECONDS) {
        result = Math.max(result, max[i]);
      }
    }
    return result;
  }
}
