package io.socketiocanary.heap;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.heap.OldGeneration.Reading;
import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.MetricsSnapshot;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A real agent on the serial collector, 60 canaries against a real Socket.IO server: while the
 * server is down (every canary reconnecting) the old generation runs short of room and no quiet
 * collection comes; once the server is back and the canaries have settled, one does. The JVM's
 * flags make room short: 60 % of the heap free after a full collection (room 1.5 times the live
 * heap, below a storm's 2.25, before Java 23) and a maximum heap of 36 MB (room from Java 23 on);
 * and a young generation of 2 MB whose survivors are all promoted at once, so that the test's own
 * scrapes, five a second, fill the old generation with garbage, slowly enough that the collector's
 * own full collections (when the old generation is full) leave the agent many ticks in which room
 * is short and a collection is worth it.
 */
class QuietCollectionsIT {
  private static final int CLIENTS = 20;
  private static final int CANARIES = 3 * CLIENTS;
  private static final String CAUSE = "System.gc()";
  /** Canary.SETTLING: how long a new connection counts as a measurement under way. */
  private static final Duration SETTLING = Duration.ofSeconds(5);
  private static final Duration SCRAPE_EVERY = Duration.ofMillis(200);

  @Test
  void collectsWhenRoomIsShortOnlyOnceTheCanariesHaveSettled() throws Exception {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().start()) {
      int port = FreePorts.pick();
      String config = CanaryConfig.onPort(port).target("quiet", server.url(), "clients = " + CLIENTS).hocon();
      try (AgentProcess agent = AgentProcess.builder().name("quiet-collections").httpPort(port).config(config)
          .jvmFlag("-XX:+UseSerialGC").jvmFlag("-Xms8m").jvmFlag("-Xmx36m").jvmFlag("-XX:MaxNewSize=2m")
          .jvmFlag("-XX:MaxTenuringThreshold=0").jvmFlag("-XX:MinHeapFreeRatio=60")
          .start()) {
        agent.awaitReady(Duration.ofSeconds(30));
        long start = System.nanoTime();
        awaitConnected(agent, CANARIES, Duration.ofSeconds(60));

        // A storm that does not end: every canary reconnecting, the old generation filling.
        server.stop();
        awaitConnected(agent, 0, Duration.ofSeconds(30));
        double before = quietCollections(agent.scrape());
        log(start, "server down, every canary reconnecting");
        MetricsSnapshot whenShort = scrapeUntil(agent, m -> StormRoom.wantsCollection(reading(m)), Duration.ofSeconds(60));
        log(start, "room short: " + reading(whenShort));
        // Longer than the quiet ticks a collection would wait for, the old generation still short.
        scrapeFor(agent, Duration.ofSeconds(StormRoom.QUIET_TICKS + 3));
        assertThat(quietCollections(agent.scrape()))
            .as("no quiet collection while every canary reconnects, though room was short: %s", reading(whenShort))
            .isEqualTo(before);

        server.start();
        awaitConnected(agent, CANARIES, Duration.ofSeconds(60));
        long allConnected = System.nanoTime();
        log(start, "server back, every canary connected");
        scrapeUntil(agent, m -> quietCollections(m) > before, Duration.ofSeconds(90));
        Duration after = Duration.ofNanos(System.nanoTime() - allConnected);
        log(start, "quiet collection " + after.toMillis() + " ms after all connected");
        // Settled for SETTLING, then quiet for three ticks; the test saw "all connected" at most a
        // scrape late, and the collection at most a scrape late.
        assertThat(after).as("the quiet collection came after the canaries had settled")
            .isGreaterThanOrEqualTo(SETTLING.minusSeconds(1));
        // The log line follows the collection's end; the pause is on /metrics as soon as it ended.
        String logged = agent.process().awaitLine(Pattern.compile(".*collected the heap at a quiet moment.*"),
            Duration.ofSeconds(10)).group();
        assertThat(logged).as("the first quiet collection is logged at INFO, with its figures")
            .contains("INFO", "old_before_mb=", "old_after_mb=", "storm_need_mb=", "took_ms=");
      }
    }
  }

  private static void log(long start, String what) {
    System.out.printf("quiet collections IT: +%.1f s %s%n", (System.nanoTime() - start) / 1e9, what);
  }

  private static Reading reading(MetricsSnapshot m) {
    Map<String, String> tenured = Map.of("id", "Tenured Gen");
    String limit = OldGeneration.growsAtYoungCollections(Runtime.version().feature())
        ? "jvm_memory_max_bytes" : "jvm_memory_committed_bytes";
    return new Reading((long) m.sum("jvm_memory_used_bytes", tenured), (long) m.sum(limit, tenured),
        (long) m.sum("jvm_gc_live_data_size_bytes", Map.of()));
  }

  private static double quietCollections(MetricsSnapshot m) {
    return m.sum("jvm_gc_pause_seconds_count", Map.of("cause", CAUSE));
  }

  private static MetricsSnapshot scrapeUntil(AgentProcess agent, java.util.function.Predicate<MetricsSnapshot> done,
      Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    MetricsSnapshot m = agent.scrape();
    while (!done.test(m)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + "; old generation " + reading(m)
            + ", quiet collections " + quietCollections(m));
      }
      Thread.sleep(SCRAPE_EVERY.toMillis());
      m = agent.scrape();
    }
    return m;
  }

  private static void scrapeFor(AgentProcess agent, Duration duration) throws InterruptedException {
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      agent.scrape();
      Thread.sleep(SCRAPE_EVERY.toMillis());
    }
  }

  private static void awaitConnected(AgentProcess agent, int expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (agent.scrape().sum("socketio_canary_connected", Map.of()) != expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(expected + " canaries not connected within " + timeout + ": "
            + agent.scrape().series("socketio_canary_connected"));
      }
      Thread.sleep(200);
    }
  }
}
