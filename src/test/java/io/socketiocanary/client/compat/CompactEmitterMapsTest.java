package io.socketiocanary.client.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.socket.emitter.Emitter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CompactEmitterMaps} against engine.io-client 2.1.0's {@link Emitter} itself: if this fails
 * after a library update, the private field it replaces changed (the agent then keeps the
 * library's maps and says so at WARN at start-up). {@code CompactEmitterMapsIT} runs a whole
 * connection on the small maps against the Node server.
 */
class CompactEmitterMapsTest {

  @Test
  void theLibraryStillKeepsItsListenersInAReplaceableField() {
    assertThat(CompactEmitterMaps.unavailableBecause()).isNull();
    assertThat(CompactEmitterMaps.available()).isTrue();
  }

  @Test
  void listenersSubscribedBeforeTheSwapStillFireAndASecondInstallChangesNothing() {
    Emitter emitter = new Emitter();
    List<String> calls = new ArrayList<>();
    emitter.on("packet", args -> calls.add("first " + args[0]));
    emitter.on("packet", args -> calls.add("second " + args[0]));
    assertThat(CompactEmitterMaps.installed(emitter)).isFalse();

    assertThat(CompactEmitterMaps.install(emitter)).isTrue();
    assertThat(CompactEmitterMaps.installed(emitter)).isTrue();
    assertThat(CompactEmitterMaps.install(emitter)).isTrue();
    emitter.emit("packet", "p1");
    assertThat(calls).containsExactly("first p1", "second p1");
    assertThat(emitter.listeners("packet")).hasSize(2);
  }

  @Test
  void onOnceOffAndEmitKeepTheirMeaningOnTheSmallMap() {
    Emitter emitter = new Emitter();
    CompactEmitterMaps.install(emitter);
    List<String> calls = new ArrayList<>();
    Emitter.Listener open = args -> calls.add("open");
    Emitter.Listener close = args -> calls.add("close");
    emitter.on("open", open).once("close", close).on("error", args -> calls.add("error"));
    assertThat(emitter.hasListeners("open")).isTrue();
    assertThat(emitter.hasListeners("drain")).isFalse();

    emitter.emit("close");
    emitter.emit("close");
    assertThat(calls).containsExactly("close");
    assertThat(emitter.hasListeners("close")).isFalse();

    emitter.off("open", open);
    emitter.emit("open");
    emitter.once("close", close);
    emitter.off("close", close);
    emitter.emit("close");
    assertThat(calls).containsExactly("close");

    emitter.off("error");
    emitter.emit("error");
    emitter.on("open", open);
    emitter.off();
    emitter.emit("open");
    assertThat(calls).containsExactly("close");
    emitter.on("open", open).emit("open");
    assertThat(calls).containsExactly("close", "open");
  }
}
