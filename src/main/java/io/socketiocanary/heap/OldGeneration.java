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
 * beans, on the JVMs where a young collection cannot grow it: there, a young collection whose
 * survivors do not fit the old generation's committed space grows it and then at once runs a full
 * collection (HotSpot's {@code TenuredGeneration::should_collect}, "had to expand to accommodate
 * promotions"), a stop-the-world pause as long as the live heap is large. Java 23 dropped that rule
 * (JDK-8331557): its young collections grow the old generation without one.
 */
final class OldGeneration {
  /** The first Java release whose serial collector grows the old generation at young collections. */
  static final int GROWS_AT_YOUNG_COLLECTIONS_FROM = 23;
  private static final String SERIAL_FULL_COLLECTOR = "MarkSweepCompact";
  private static final String SERIAL_OLD_POOL = "Tenured Gen";

  /** Bytes: in use now, committed now, in use right after the last full collection (0: none yet). */
  record Reading(long used, long committed, long liveAfterLastFull) {}

  private final MemoryPoolMXBean pool;

  private OldGeneration(MemoryPoolMXBean pool) {
    this.pool = pool;
  }

  /**
   * This JVM's old generation, if its collector is the serial one of a release before {@link
   * #GROWS_AT_YOUNG_COLLECTIONS_FROM} and {@code System.gc()} runs a collection; otherwise why not.
   */
  static Optional<OldGeneration> whereStormsForceFullCollections(StringBuilder whyNot) {
    List<String> collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).toList();
    Optional<String> reason = whyNotHere(Runtime.version().feature(), collectors, explicitCollectionsDisabled());
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
    return pool.map(OldGeneration::new);
  }

  /** Why quiet collections do not apply to a JVM of this release, with these collectors; empty if they do. */
  static Optional<String> whyNotHere(int feature, List<String> collectors, boolean explicitCollectionsDisabled) {
    if (!collectors.contains(SERIAL_FULL_COLLECTOR)) {
      return Optional.of("the collector is not the serial one");
    }
    if (feature >= GROWS_AT_YOUNG_COLLECTIONS_FROM) {
      return Optional.of("Java " + feature + "'s serial collector grows the old generation at young collections");
    }
    if (explicitCollectionsDisabled) {
      return Optional.of("-XX:+DisableExplicitGC is set");
    }
    return Optional.empty();
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
    return new Reading(now.getUsed(), now.getCommitted(), afterFull == null ? 0 : afterFull.getUsed());
  }
}
