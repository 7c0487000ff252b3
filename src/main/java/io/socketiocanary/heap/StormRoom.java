package io.socketiocanary.heap;

import io.socketiocanary.heap.OldGeneration.Reading;

/**
 * When to collect the old generation at a quiet moment so that a reconnect storm finds room in it.
 *
 * <p>In a storm every canary opens a new session at once: the old sessions turn to garbage in the
 * old generation and the new ones are promoted beside them, with what the storm's own traffic keeps
 * alive across young collections. Measured ({@code -Xlog:gc}, 5,000 mixed canaries, the image's
 * flags, five storms of 10 to 11 s on Java 17 and 25): 92 to 109 MB promoted with 62 to 66 MB live
 * in the old generation, 1.5 to 1.75 times; an earlier need of 1.75 times left one storm 6 % of
 * margin and a slower one (16 s) ran out and ran a full collection (230 ms). Room is what young
 * collections can fill without a full collection ({@link OldGeneration}); past it, the storm's pages
 * and the reconnect times it measures wait for that pause. Garbage fills the room at idle too (about
 * 25 MB a minute for that fleet): canaries that connected within seconds of each other are pinged
 * within seconds of each other every ping interval, every young collection at idle falls in such
 * a burst, and it promotes what the burst has in flight (each polling canary's answer, its next
 * long-poll, the connection it opened: 6 to 7 kB every 25 s against a server that closes keep-alive
 * connections after 5 s).
 *
 * <p>So: when the room left is below {@link #STORM_NEED_PER_LIVE} times the live old generation and
 * the garbage is at least {@link #WORTH_COLLECTING_PER_LIVE} of it (so collections come no more
 * often than that much is promoted), or when the live figure predates many of the connected
 * canaries (so the need is measured again), and the agent has been quiet for {@link #QUIET_TICKS}
 * ticks in a row (at most one canary in a hundred with a measurement under way that the pause
 * would lengthen: connected within seconds, or in an outage younger than a minute), collect; and,
 * at the same quiet moments, once the garbage passes {@link #GARBAGE_CAP_PER_LIVE} times the live
 * data whatever the room, or when no full collection has measured the live data yet. The
 * pause is about as long as the storm's would have been, at idle instead of in the storm. Room
 * after a collection is, before Java 23, what {@code -XX:MinHeapFreeRatio} leaves: the image's 75 %
 * leaves three times the live heap, 0.75 times of it for garbage before the next collection; from
 * Java 23 on, what is left under the heap's maximum. Not thread-safe: one ticking thread.
 */
final class StormRoom {
  static final double STORM_NEED_PER_LIVE = 2.25;
  static final double WORTH_COLLECTING_PER_LIVE = 0.5;
  /**
   * Garbage the old generation may hold, per live byte, before a quiet collection whatever the
   * room: the same bound on every release. From Java 23 on, young collections grow the old
   * generation up to the heap's maximum instead of collecting it (by default a quarter of the
   * machine's memory): Java 25 with 60 canaries under churn grew it 9.5 → 15.4 MB in six minutes
   * without one full collection, with nothing but that maximum to stop it. Before 23 the room rule
   * collects at 0.75 when the last full collection committed the heap (the image's 75 % free then
   * leaves three times the live data as room), but a heap committed larger earlier leaves it
   * waiting. At 2.0, the mixed fleet of 5,000 held 44.6 kB a canary five minutes after connecting
   * on Java 25 (its old generation filling to three times the live data between quiet
   * collections, every page of it then resident) and 39.7 kB on Java 17 (its heap, in a logged run,
   * committed at 358 MB by a full collection while the fleets connected, four times the 86 MB it
   * kept then); at 0.75, 30.8 and 31.5 kB, the heap within 1.75 times the live data at idle on both.
   */
  static final double GARBAGE_CAP_PER_LIVE = 0.75;
  static final int QUIET_TICKS = 3;
  /** Canaries measuring per canary that still count as quiet. */
  static final double QUIET_MEASURING_SHARE = 0.01;
  /** Ticks between two quiet collections at least, whatever the readings say. */
  static final int MIN_TICKS_BETWEEN = 30;

  /**
   * How many more connected canaries than when the live old generation was last measured make
   * that figure stale: a quarter more, and at least {@link #STALE_AFTER_MIN_CANARIES}.
   */
  static final double STALE_AFTER_GROWTH = 0.25;
  static final int STALE_AFTER_MIN_CANARIES = 50;

  private int quietTicks;
  private int ticksSinceCollection = MIN_TICKS_BETWEEN;
  /** The live figure last seen, and how many canaries were connected when it first showed. */
  private long liveSeen = -1;
  private int connectedWhenLiveSeen;
  private Reason reason = Reason.STORM_ROOM;

  /** Why a collection was asked for, for the agent's log. */
  enum Reason {
    /** Less room than a storm needs, and garbage enough to be worth a pause. */
    STORM_ROOM,
    /** More garbage than {@link #GARBAGE_CAP_PER_LIVE} times the live data. */
    GARBAGE_CAP,
    /** The live figure predates many of the connected canaries, or there is none yet. */
    LIVE_UNMEASURED
  }

  /**
   * One tick (a second): true when the caller should collect now. Canaries are counted as
   * connected every tick, and as measuring only while a collection is wanted.
   */
  boolean tick(Reading old, QuietCollections.Canaries canaries) {
    ticksSinceCollection++;
    int connected = canaries.connected();
    if (old.liveAfterLastFull() != liveSeen) {
      liveSeen = old.liveAfterLastFull();
      connectedWhenLiveSeen = connected;
    }
    Reason wanted = ruleMet(old);
    if (wanted == null && liveIsStale(connected)) {
      wanted = Reason.LIVE_UNMEASURED;
    }
    if (wanted == null) {
      quietTicks = 0;
      return false;
    }
    int quietUpTo = (int) Math.floor(canaries.count() * QUIET_MEASURING_SHARE);
    quietTicks = canaries.measuring() <= quietUpTo ? quietTicks + 1 : 0;
    if (quietTicks < QUIET_TICKS || ticksSinceCollection < MIN_TICKS_BETWEEN) {
      return false;
    }
    ticksSinceCollection = 0;
    quietTicks = 0;
    reason = wanted;
    return true;
  }

  /** Why the last collection that {@link #tick} asked for was wanted. */
  Reason reason() {
    return reason;
  }

  /**
   * Whether the live old generation was last measured (by a full collection) with markedly fewer
   * canaries connected than now: the storm's need, a multiple of it, would be understated. Java 23
   * and later may run no full collection for hours, so its last figure can be from start-up.
   */
  private boolean liveIsStale(int connected) {
    if (liveSeen == 0) {
      // No full collection yet (Java 23 and later may run none for hours): measure once canaries are up.
      return connected > 0;
    }
    int growth = connected - connectedWhenLiveSeen;
    return growth >= Math.max(STALE_AFTER_MIN_CANARIES, STALE_AFTER_GROWTH * connectedWhenLiveSeen);
  }

  /** The room a storm would need, in bytes, given a reading. */
  static long need(Reading old) {
    return (long) (STORM_NEED_PER_LIVE * old.liveAfterLastFull());
  }

  /**
   * Too little room for a storm and enough garbage for a collection to be worth its pause, or more
   * garbage than the cap.
   */
  static boolean wantsCollection(Reading old) {
    return ruleMet(old) != null;
  }

  /** The rule of {@link #wantsCollection} that a reading meets; null if none. */
  private static Reason ruleMet(Reading old) {
    long live = old.liveAfterLastFull();
    if (live <= 0) {
      return null;
    }
    long garbage = old.used() - live;
    if (old.room() < need(old) && garbage >= WORTH_COLLECTING_PER_LIVE * live) {
      return Reason.STORM_ROOM;
    }
    return garbage >= GARBAGE_CAP_PER_LIVE * live ? Reason.GARBAGE_CAP : null;
  }
}
