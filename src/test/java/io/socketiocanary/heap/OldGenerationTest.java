package io.socketiocanary.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OldGenerationTest {
  private static final List<String> SERIAL = List.of("Copy", "MarkSweepCompact");

  /**
   * The rule {@link OldGeneration#read} is built on, checked on the JVM running the tests: before
   * Java 23 the serial collector grows its old generation only through full collections (so room
   * is what is committed), from 23 on at young collections too (room is what is left under the
   * maximum). If an update of either changes that, this fails, and {@link
   * OldGeneration#GROWS_AT_YOUNG_COLLECTIONS_FROM} must follow.
   */
  @Test
  void theOldGenerationGrowsThroughFullCollectionsExactlyBeforeJava23() throws Exception {
    int feature = Runtime.version().feature();
    long full = fullCollectionsToPromote64Mb();
    assertThat(full == 0)
        .as("Java %d ran %d full collections while young collections promoted 64 MB into a heap of 512 MB", feature, full)
        .isEqualTo(OldGeneration.growsAtYoungCollections(feature));
  }

  @Test
  void appliesToTheSerialCollectorWithExplicitCollectionsOn() {
    assertThat(OldGeneration.whyNotHere(SERIAL, false)).isEmpty();
    assertThat(OldGeneration.whyNotHere(List.of("G1 Young Generation", "G1 Old Generation"), false))
        .get().asString().contains("not the serial one");
    assertThat(OldGeneration.whyNotHere(List.of("PS Scavenge", "PS MarkSweep"), false)).isPresent();
    assertThat(OldGeneration.whyNotHere(SERIAL, true)).get().asString().contains("DisableExplicitGC");
    assertThat(OldGeneration.growsAtYoungCollections(21)).isFalse();
    assertThat(OldGeneration.growsAtYoungCollections(23)).isTrue();
  }

  private static long fullCollectionsToPromote64Mb() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process probe = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xms8m", "-Xmx512m", "-XX:MaxNewSize=4m",
        "-Xshare:auto", "-cp", System.getProperty("java.class.path"), PromotionProbe.class.getName())
        .redirectErrorStream(true).start();
    assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("the probe JVM exits").isTrue();
    String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(probe.exitValue()).as(out).isZero();
    assertThat(out).startsWith("full=");
    return Long.parseLong(out.substring("full=".length(), out.indexOf(' ')));
  }
}
