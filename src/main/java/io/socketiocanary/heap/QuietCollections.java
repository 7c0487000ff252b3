package io.socketiocanary.heap;

import io.socketiocanary.heap.OldGeneration.Reading;
import io.vertx.core.Vertx;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link StormRoom}'s collections: a tick a second on one of the agent's event loops (a read
 * of the old generation's usage and a count of the connected canaries), and the collection itself
 * ({@code System.gc()}, which on the serial collector is a full collection) on a worker thread.
 * Only on the serial collector, and not with {@code -XX:+DisableExplicitGC} (which is also how to
 * switch it off).
 *
 * <p>What it did is visible as {@code jvm_gc_pause_seconds{cause="System.gc()"}}; the first
 * collection is logged at INFO, the rest at DEBUG.
 */
public final class QuietCollections implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QuietCollections.class);
  private static final long TICK_MILLIS = 1000;

  /** The agent's canaries, as the tick sees them. Called on the ticking event loop. */
  public interface Canaries {
    int count();

    int connected();

    /** Canaries with a measurement under way that a pause would lengthen: just connected, or in a fresh outage. */
    int measuring();
  }

  private final Vertx vertx;
  private final OldGeneration old;
  private final Canaries canaries;
  private final StormRoom room = new StormRoom();
  private final long timer;
  private volatile boolean collecting;
  // Touched only by collect(): one at a time (collecting), each handed to a worker by the tick.
  private boolean loggedFirst;
  private boolean warnedTooSmall;

  private QuietCollections(Vertx vertx, OldGeneration old, Canaries canaries) {
    this.vertx = vertx;
    this.old = old;
    this.canaries = canaries;
    this.timer = vertx.setPeriodic(TICK_MILLIS, id -> tick());
  }

  /** Starts ticking where it applies; the empty result otherwise (logged at DEBUG with why). */
  public static Optional<QuietCollections> start(Vertx vertx, Canaries canaries) {
    StringBuilder whyNot = new StringBuilder();
    Optional<OldGeneration> old = OldGeneration.ofSerialCollector(whyNot);
    if (old.isEmpty()) {
      log.atDebug().addKeyValue("reason", whyNot).log("no quiet collections");
    }
    return old.map(o -> new QuietCollections(vertx, o, canaries));
  }

  private void tick() {
    if (collecting) {
      return;
    }
    if (room.tick(old.read(), canaries)) {
      collecting = true;
      StormRoom.Reason why = room.reason();
      vertx.executeBlocking(() -> collect(why), false).onComplete(done -> collecting = false);
    }
  }

  private Void collect(StormRoom.Reason why) {
    Reading before = old.read();
    long start = System.nanoTime();
    System.gc();
    long pauseMillis = (System.nanoTime() - start) / 1_000_000;
    Reading after = old.read();
    long roomLeft = after.room();
    long need = StormRoom.need(after);
    var event = loggedFirst ? log.atDebug() : log.atInfo();
    loggedFirst = true;
    event.addKeyValue("reason", why.name().toLowerCase(Locale.ROOT))
        .addKeyValue("old_before_mb", mb(before.used()))
        .addKeyValue("old_after_mb", mb(after.used()))
        .addKeyValue("old_limit_mb", mb(after.limit()))
        .addKeyValue("storm_need_mb", mb(need))
        .addKeyValue("took_ms", pauseMillis)
        .log("collected the heap at a quiet moment, so that a reconnect storm's new sessions fit the old"
            + " generation without a full collection in the storm and the heap holds no more than its cap of"
            + " garbage");
    if (roomLeft < need && !warnedTooSmall) {
      warnedTooSmall = true;
      log.atInfo().addKeyValue("room_mb", mb(roomLeft)).addKeyValue("storm_need_mb", mb(need))
          .log("the old generation has less room than a storm of every canary would need even right after a"
              + " collection: such a storm will run a full collection (a larger heap; before Java 23, also"
              + " -XX:MinHeapFreeRatio=75 as in the image)");
    }
    return null;
  }

  private static long mb(long bytes) {
    return bytes >> 20;
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
