package io.socketiocanary.heap;

import io.socketiocanary.heap.OldGeneration.Reading;
import java.util.function.IntSupplier;

/**
 * When to collect the old generation at a quiet moment so that a reconnect storm finds room in it.
 *
 * <p>In a storm every canary opens a new session at once: the old sessions turn to garbage in the
 * old generation and the new ones are promoted beside them, with what the storm's own traffic keeps
 * alive across young collections. Measured (5,000 mixed canaries, Java 17, the image's flags): with
 * 62 MB live in the old generation the storm promoted 100 MB in 10 s (1.6 times), and with 66 MB
 * live and 94 MB of room it ran out of room and ran a full collection (289 ms) at its end. Room is
 * what young collections can fill without a full collection ({@link OldGeneration}); past it, the
 * storm's pages and the reconnect times it measures wait for that pause.
 * Garbage fills the room at idle too (about 25 MB a minute for that fleet: each polling canary's
 * request, and the connection it opens when the server has closed the last).
 *
 * <p>So: when the room left is below {@link #STORM_NEED_PER_LIVE} times the live old generation,
 * the garbage is at least {@link #WORTH_COLLECTING_PER_LIVE} of it (so collections come no more
 * often than that much is promoted), and the agent has been quiet for {@link #QUIET_TICKS} ticks
 * in a row (at most one canary in a hundred with a measurement under way that the pause would
 * lengthen: connected within seconds, or in an outage younger than a minute), collect. The pause is about as
 * long as the storm's would have been, at idle instead of in the storm. Room after a collection is,
 * before Java 23, what {@code -XX:MinHeapFreeRatio} leaves: the image's 75 % leaves three times the
 * live heap, 1.25 times of it for garbage before the next collection; from Java 23 on, what is left
 * under the heap's maximum. Not thread-safe: one ticking thread.
 */
final class StormRoom {
  static final double STORM_NEED_PER_LIVE = 1.75;
  static final double WORTH_COLLECTING_PER_LIVE = 0.5;
  static final int QUIET_TICKS = 3;
  /** Canaries measuring per canary that still count as quiet. */
  static final double QUIET_MEASURING_SHARE = 0.01;
  /** Ticks between two quiet collections at least, whatever the readings say. */
  static final int MIN_TICKS_BETWEEN = 30;

  private int quietTicks;
  private int ticksSinceCollection = MIN_TICKS_BETWEEN;

  /**
   * One tick (a second): true when the caller should collect now. {@code measuring} is asked only
   * while a collection is wanted (it looks at every canary).
   */
  boolean tick(Reading old, IntSupplier measuring, int canaries) {
    ticksSinceCollection++;
    if (!wantsCollection(old)) {
      quietTicks = 0;
      return false;
    }
    quietTicks = measuring.getAsInt() <= Math.floor(canaries * QUIET_MEASURING_SHARE) ? quietTicks + 1 : 0;
    if (quietTicks < QUIET_TICKS || ticksSinceCollection < MIN_TICKS_BETWEEN) {
      return false;
    }
    ticksSinceCollection = 0;
    quietTicks = 0;
    return true;
  }

  /** The room a storm would need, in bytes, given a reading. */
  static long need(Reading old) {
    return (long) (STORM_NEED_PER_LIVE * old.liveAfterLastFull());
  }

  /** Too little room for a storm, and enough garbage for a collection to be worth its pause. */
  static boolean wantsCollection(Reading old) {
    long live = old.liveAfterLastFull();
    if (live <= 0) {
      return false;
    }
    long room = old.limit() - old.used();
    long garbage = old.used() - live;
    return room < need(old) && garbage >= WORTH_COLLECTING_PER_LIVE * live;
  }
}
