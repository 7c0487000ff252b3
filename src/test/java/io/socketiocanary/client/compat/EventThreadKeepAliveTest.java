package io.socketiocanary.client.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.socket.thread.EventThread;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link EventThreadKeepAlive} against socket.io-client 2.1.2 itself: if this fails after a
 * library update, {@code EventThread}'s private {@code counter} changed and the class must be
 * revisited (the agent then logs one WARN line and the library starts a thread per burst).
 */
class EventThreadKeepAliveTest {

  @Test
  void theLibraryStillHasTheCounterItShutsDownOn() {
    assertThat(EventThreadKeepAlive.unavailableBecause()).isNull();
  }

  @Test
  void withoutAHoldTheLibraryStartsANewThreadAfterAnIdleMoment() throws Exception {
    Thread first = threadOfNextTick();
    Thread.sleep(100);
    Thread second = threadOfNextTick();
    second.join(5000);
    assertThat(second).isNotSameAs(first);
    assertThat(second.isAlive()).isFalse();
  }

  @Test
  void whileHeldOneThreadRunsEveryTaskAndEndsAfterRelease() throws Exception {
    assertThat(EventThreadKeepAlive.acquire()).isTrue();
    Thread first;
    try {
      first = threadOfNextTick();
      Thread.sleep(100);
      assertThat(threadOfNextTick()).isSameAs(first);
      Thread.sleep(100);
      assertThat(threadOfNextTick()).isSameAs(first);
      assertThat(first.isAlive()).isTrue();
    } finally {
      EventThreadKeepAlive.release();
    }
    first.join(5000);
    assertThat(first.isAlive()).isFalse();
  }

  @Test
  void releaseWithoutAcquireChangesNothing() throws Exception {
    EventThreadKeepAlive.release();
    Thread t = threadOfNextTick();
    t.join(5000);
    assertThat(t.isAlive()).isFalse();
  }

  private static Thread threadOfNextTick() throws Exception {
    CompletableFuture<Thread> ran = new CompletableFuture<>();
    EventThread.nextTick(() -> ran.complete(Thread.currentThread()));
    return ran.get(5, TimeUnit.SECONDS);
  }
}
