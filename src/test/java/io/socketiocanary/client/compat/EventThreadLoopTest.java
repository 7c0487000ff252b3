package io.socketiocanary.client.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.socket.thread.EventThread;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link EventThreadLoop} against socket.io-client 2.1.2 itself: if this fails after a library
 * update, {@code EventThread}'s private constructor or its {@code thread}/{@code service} statics
 * changed and the class must be revisited (the agent then logs one WARN line and keeps WebSocket
 * loops apart from the EventThread). A real WebSocket frame handled and answered on the
 * EventThread, through {@code HttpClients}: {@code WebSocketDialerTest}.
 */
class EventThreadLoopTest {

  @Test
  void theLibraryStillHasTheConstructorAndStaticsItIsBuiltOn() {
    assertThat(EventThreadLoop.unavailableBecause()).isNull();
  }

  @Test
  void whileInstalledTheLoopIsTheEventThreadAndExecRunsInlineOnIt() throws Exception {
    Optional<EventThreadLoop.Installed> installed = EventThreadLoop.install();
    assertThat(installed).isPresent();
    try (EventThreadLoop.Installed loop = installed.get()) {
      assertThat(threadOfNextTick()).isSameAs(loop.eventThread());
      // What a WebSocket read on the loop does: the library's exec finds itself on its thread.
      CompletableFuture<Boolean> inline = new CompletableFuture<>();
      loop.group().next().execute(() -> {
        boolean[] ran = {false};
        EventThread.exec(() -> ran[0] = true);
        inline.complete(EventThread.isCurrent() && ran[0]);
      });
      assertThat(inline.get(5, TimeUnit.SECONDS)).as("exec ran before returning, on the loop").isTrue();
      // Idle moments do not end it: the loop stays the EventThread.
      Thread.sleep(100);
      assertThat(threadOfNextTick()).isSameAs(loop.eventThread());
      assertThat(EventThreadLoop.install()).as("a second install while one is in place").isEmpty();
    }
    // Closed: the library runs its own thread again, and lets it end when idle.
    Thread own = threadOfNextTick();
    assertThat(own).isNotSameAs(installed.get().eventThread());
    own.join(5000);
    assertThat(own.isAlive()).isFalse();
    assertThat(installed.get().group().awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  private static Thread threadOfNextTick() throws Exception {
    CompletableFuture<Thread> ran = new CompletableFuture<>();
    EventThread.nextTick(() -> ran.complete(Thread.currentThread()));
    return ran.get(5, TimeUnit.SECONDS);
  }
}
