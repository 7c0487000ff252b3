package io.socketiocanary.client.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.thread.EventThread;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link ManagerEngine} against socket.io-client 2.1.2 itself: if this fails after a library
 * update, {@code Manager.engine} changed and the canaries would lose their upgrade and handshake
 * events (the agent then says so at WARN once at start-up).
 */
class ManagerEngineTest {

  @Test
  void theLibraryStillHasThePackagePrivateField() {
    assertThat(ManagerEngine.unavailableBecause()).isNull();
  }

  @Test
  void itHoldsTheEngineOfTheCurrentAttempt() throws Exception {
    // A port nothing listens on: the attempt fails at once, but its engine exists meanwhile.
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    IO.Options options = new IO.Options();
    options.reconnection = false;
    options.transports = new String[] {"websocket"};
    Manager manager = new Manager(URI.create("http://127.0.0.1:" + closedPort), options);
    assertThat(ManagerEngine.of(manager)).as("before the first attempt").isNull();

    CompletableFuture<Boolean> sameAsTransportOwner = new CompletableFuture<>();
    manager.on(Manager.EVENT_TRANSPORT, args -> sameAsTransportOwner.complete(ManagerEngine.of(manager) != null));
    CompletableFuture<Void> failed = new CompletableFuture<>();
    EventThread.exec(() -> manager.open(err -> failed.complete(null)));
    assertThat(sameAsTransportOwner.get(10, TimeUnit.SECONDS)).isTrue();
    failed.get(10, TimeUnit.SECONDS);
    assertThat(ManagerEngine.of(manager)).as("the last attempt's, after it failed").isNotNull();
  }
}
