package io.socketiocanary.heap;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a JVM of its own by {@link OldGenerationTest}: keeps 64 MB of small objects, so young
 * collections must promote them into an old generation that starts at a few megabytes, then prints
 * how many full collections the serial collector ran meanwhile.
 */
public final class PromotionProbe {
  private PromotionProbe() {}

  public static void main(String[] args) {
    List<byte[]> kept = new ArrayList<>();
    for (int i = 0; i < 64 * 1024; i++) {
      kept.add(new byte[1024]);
    }
    long full = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .filter(c -> c.getName().equals("MarkSweepCompact"))
        .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    System.out.println("full=" + full + " kept=" + kept.size());
  }
}
