package io.socketiocanary.heap;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Optional;

/**
 * The serial collector's old generation ("Tenured Gen"), read through the platform's memory
 * beans, with how far a young collection can fill it before the collector runs a full collection
 * (a stop-the-world pause as long as the live heap is large).
 *
 * <p>Before Java 23 that is its committed space: a young collection whose survivors do not fit
 * grows the old generation and then at once runs a full collection (HotSpot's {@code
 * TenuredGeneration::should_collect}, "had to expand to accommodate promotions"). Java 23 dropped
 * that rule (JDK-8331557): young collections grow the old generation up to the heap's maximum, and
 * only there does one need a full collection (an agent under a container's memory limit meets it).
 */
final class OldGeneration {
  /** The first Java release whose serial collector grows the old generation at young collections. */
  static final int GROWS_AT_YOUNG_COLLECTIONS_FROM = 23;
  private static final String SERIAL_FULL_COLLECTOR = "MarkSweepCompact";
  private static final String SERIAL_OLD_POOL = "Tenured Gen";

  /**
   * Bytes: in use now; how far young collections can fill it without a full collection (committed
   * before Java 23, the maximum from 23 on); in use right after the last full collection (0: none yet).
   */
  record Reading(long used, long limit, long liveAfterLastFull) {
    /** What young collections can still promote before a full collection. */
    long room() {
      return limit - used;
    }
  }

  private final MemoryPoolMXBean pool;
  private final boolean growsAtYoungCollections;

  private OldGeneration(MemoryPoolMXBean pool, boolean growsAtYoungCollections) {
    this.pool = pool;
    this.growsAtYoungCollections = growsAtYoungCollections;
  }

  /**
   * This JVM's old generation, if its collector is the serial one and {@code System.gc()} runs a
   * collection; otherwise why not.
   */
  static Optional<OldGeneration> ofSerialCollector(StringBuilder whyNot) {
    List<String> collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).toList();
    Optional<String> reason = whyNotHere(collectors, explicitCollectionsDisabled());
    if (reason.isPresent()) {
      whyNot.append(reason.get());
      return Optional.empty();
    }
    Optional<MemoryPoolMXBean> pool = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getName().equals(SERIAL_OLD_POOL))
        .findFirst();
    if (pool.isEmpty()) {
      whyNot.append("no memory pool named ").append(SERIAL_OLD_POOL);
    }
    return pool.map(p -> new OldGeneration(p, growsAtYoungCollections(Runtime.version().feature())));
  }

  /** Why quiet collections do not apply to a JVM with these collectors; empty if they do. */
  static Optional<String> whyNotHere(List<String> collectors, boolean explicitCollectionsDisabled) {
    if (!collectors.contains(SERIAL_FULL_COLLECTOR)) {
      return Optional.of("the collector is not the serial one");
    }
    if (explicitCollectionsDisabled) {
      return Optional.of("-XX:+DisableExplicitGC is set");
    }
    return Optional.empty();
  }

  /** Whether this release's serial collector grows the old generation at young collections. */
  static boolean growsAtYoungCollections(int feature) {
    return feature >= GROWS_AT_YOUNG_COLLECTIONS_FROM;
  }

  private static boolean explicitCollectionsDisabled() {
    try {
      return Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .getVMOption("DisableExplicitGC").getValue());
    } catch (RuntimeException e) {
      // Not HotSpot: then this class found no serial collector either.
      return false;
    }
  }

  Reading read() {
    MemoryUsage now = pool.getUsage();
    MemoryUsage afterFull = pool.getCollectionUsage();
    long limit = growsAtYoungCollections && now.getMax() > 0 ? now.getMax() : now.getCommitted();
    return new Reading(now.getUsed(), limit, afterFull == null ? 0 : afterFull.getUsed());
  }
}
