package io.socketiocanary.selfwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.socketiocanary.testsupport.CapturedLog;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SelfWatchTest {
  private static final long S = 1_000_000_000L;
  private final AtomicLong clock = new AtomicLong(1_000 * S);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  /** A loop that runs what it is given only when the test says so. */
  private final Queue<Runnable> eventThread = new ArrayDeque<>();
  private final SelfWatch watch = new SelfWatch(
      List.of(WatchedLoop.singleThread(LoopNames.EVENT_THREAD, eventThread::add)), registry, clock::get);

  /** Sets the clock to {@code seconds} after the test's origin. */
  private long at(double seconds) {
    long t = t(seconds);
    clock.set(t);
    return t;
  }

  /** The time {@code seconds} after the test's origin, leaving the clock alone. */
  private static long t(double seconds) {
    return 1_000 * S + Math.round(seconds * S);
  }

  private void runQueued() {
    Runnable r;
    while ((r = eventThread.poll()) != null) {
      r.run();
    }
  }

  private double gauge(String loop) {
    return registry.get("socketio.canary.agent.lag").tag("loop", loop).gauge().value();
  }

  @Test
  void aLateProbeIsTheLoopsLagAndAStallWhenItWaitedASecondOrMore() {
    watch.tick(at(0), 0);
    at(1.5);
    runQueued();
    assertThat(gauge(LoopNames.EVENT_THREAD)).isEqualTo(1.5);
    assertThat(watch.stalledDuring(t(0.4), t(0.6))).isTrue();
    assertThat(watch.stalledDuring(t(2), t(3))).as("after the stall ended").isFalse();
  }

  /** The HTTP API has its own Vert.x: a slow scrape delays no canary, so it excuses no target. */
  @Test
  void aStallOfTheHttpApiIsItsLagButExcusesNoTarget() {
    Queue<Runnable> api = new ArrayDeque<>();
    SelfWatch apiOnly = new SelfWatch(List.of(WatchedLoop.singleThread(LoopNames.HTTP_API, api::add)),
        registry, clock::get);
    apiOnly.tick(at(0), 0);
    at(3);
    assertThat(apiOnly.stalledDuring(t(0), t(3))).as("while the API still waits").isFalse();
    api.poll().run();
    assertThat(registry.get("socketio.canary.agent.lag").tag("loop", LoopNames.HTTP_API).gauge().value()).isEqualTo(3);
    assertThat(apiOnly.stalledDuring(t(0), t(3))).isFalse();
  }

  @Test
  void aShortWaitIsLagButNoStall() {
    watch.tick(at(0), 0);
    at(0.3);
    runQueued();
    assertThat(gauge(LoopNames.EVENT_THREAD)).isEqualTo(0.3);
    assertThat(watch.stalledDuring(t(0), t(0.3))).isFalse();
  }

  @Test
  void aProbeStillWaitingCountsWithItsAgeAndOnlyOneIsInFlight() {
    watch.tick(at(0), 0);
    watch.tick(at(0.25), 0);
    watch.tick(at(3), 0);
    assertThat(eventThread).hasSize(1);
    assertThat(gauge(LoopNames.EVENT_THREAD)).isEqualTo(3.0);
    assertThat(watch.stalledDuring(t(2.9), t(3))).isTrue();
    assertThat(watch.stalledDuring(t(0), t(0.5))).as("the stall began at the probe's posting").isTrue();
  }

  @Test
  void aStallThatHasNotLastedASecondYetExcusesNothing() {
    watch.tick(at(0), 0);
    at(0.9);
    assertThat(watch.stalledDuring(t(0), t(0.9))).isFalse();
  }

  @Test
  void theLagGaugeForgetsAfterAMinute() {
    watch.tick(at(0), 0);
    at(2);
    runQueued();
    watch.tick(at(30), 0);
    runQueued();
    assertThat(gauge(LoopNames.EVENT_THREAD)).isEqualTo(2.0);
    watch.tick(at(62), 0);
    runQueued();
    assertThat(gauge(LoopNames.EVENT_THREAD)).isZero();
  }

  @Test
  void theTimerWakingUpLateIsAWholeProcessStall() {
    watch.tick(at(5), 2 * S);
    assertThat(gauge(LoopNames.JVM)).isEqualTo(2.0);
    assertThat(watch.stalledDuring(t(3.5), t(3.6))).isTrue();
    assertThat(watch.stalledDuring(t(5.1), t(6))).isFalse();
  }

  @Test
  void onlyWatchedLoopsAndTheJvmAreExported() {
    assertThat(registry.find("socketio.canary.agent.lag").gauges())
        .extracting(g -> g.getId().getTag("loop"))
        .containsExactlyInAnyOrder(LoopNames.EVENT_THREAD, LoopNames.JVM);
  }

  @Test
  void aLoopStuckForTwoSecondsIsLoggedAtWarnWithTheStuckThreadsStack() throws Exception {
    CapturedLog log = CapturedLog.of(SelfWatch.class);
    ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-loop"));
    CountDownLatch release = new CountDownLatch(1);
    try (SelfWatch real = new SelfWatch(List.of(WatchedLoop.singleThread(LoopNames.HEARTBEAT, loop)),
        new SimpleMeterRegistry()).start()) {
      // A probe runs first (the watch probes at once, then every 250 ms), so it knows the thread.
      CountDownLatch probed = new CountDownLatch(1);
      loop.execute(() -> blockUntil(probed));
      Thread.sleep(SelfWatch.PROBE_INTERVAL.toMillis());
      probed.countDown();
      Thread.sleep(SelfWatch.PROBE_INTERVAL.toMillis() * 3);
      loop.execute(() -> blockUntil(release));
      await().atMost(Duration.ofSeconds(10)).until(() -> log.events().stream()
          .anyMatch(e -> e.getFormattedMessage().startsWith("agent loop stalled")));
      ILoggingEvent warn = log.events().stream()
          .filter(e -> e.getFormattedMessage().startsWith("agent loop stalled")).findFirst().orElseThrow();
      assertThat(warn.getLevel().toString()).isEqualTo("WARN");
      assertThat(warn.getThrowableProxy().getMessage()).contains("heartbeat: no progress for").contains("test-loop");
      assertThat(Arrays.stream(warn.getThrowableProxy().getStackTraceElementProxyArray())
          .map(Object::toString)).anyMatch(frame -> frame.contains("blockUntil"));
      assertThat(real.stalledDuring(System.nanoTime() - S, System.nanoTime())).isTrue();
      release.countDown();
      await().atMost(Duration.ofSeconds(5)).until(() -> log.events().stream()
          .anyMatch(e -> e.getFormattedMessage().equals("agent loop running again")));
    } finally {
      release.countDown();
      log.close();
      loop.shutdownNow();
      loop.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void blockUntil(CountDownLatch release) {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
