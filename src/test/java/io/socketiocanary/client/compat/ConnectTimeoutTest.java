package io.socketiocanary.client.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.thread.EventThread;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectTimeout} against socket.io-client 2.1.2 itself, with the Manager's own timeout
 * off: an attempt to a server that accepts and never answers must end as the library's timeout
 * ends it (the namespace Socket's {@code connect_error} with the library's text), and leave the
 * Manager ready for the next attempt. If this fails after a library update, the agent's connect
 * timeouts would leave attempts hanging or misnamed.
 */
class ConnectTimeoutTest {

  @Test
  void theLibraryStillLetsItReachTheAttemptsEngine() {
    assertThat(ConnectTimeout.unavailableBecause()).isNull();
    assertThat(ConnectTimeout.available()).isTrue();
  }

  @Test
  void anExpiredAttemptFailsWithTheLibrarysTimeoutAndTheManagerCanOpenAgain() throws Exception {
    // Accepts (the kernel's backlog does) and never reads nor answers.
    try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      IO.Options options = new IO.Options();
      options.reconnection = false;
      options.timeout = -1;
      options.transports = new String[] {"polling"};
      Manager manager = new Manager(URI.create("http://127.0.0.1:" + silent.getLocalPort()), options);
      Socket socket = manager.socket("/", options);
      LinkedBlockingQueue<Object> connectErrors = new LinkedBlockingQueue<>();
      socket.on(Socket.EVENT_CONNECT_ERROR, args -> connectErrors.add(args[0]));

      EventThread.exec(socket::connect);
      // Nothing ends the attempt by itself: the Manager's timeout is off.
      assertThat(connectErrors.poll(500, TimeUnit.MILLISECONDS)).isNull();

      CompletableFuture<Boolean> expired = new CompletableFuture<>();
      EventThread.exec(() -> expired.complete(ConnectTimeout.expire(manager)));
      assertThat(expired.get(5, TimeUnit.SECONDS)).isTrue();
      Object error = connectErrors.poll(5, TimeUnit.SECONDS);
      assertThat(error).isNotNull();
      assertThat(LibraryTexts.isConnectTimeout(error)).as("read as the library's timeout: " + error).isTrue();

      // The Manager went back to CLOSED: the next open starts a new attempt (and a new engine).
      io.socket.engineio.client.Socket first = ManagerEngine.of(manager);
      CompletableFuture<Boolean> newEngine = new CompletableFuture<>();
      EventThread.exec(() -> {
        manager.open();
        newEngine.complete(ManagerEngine.of(manager) != first);
      });
      assertThat(newEngine.get(5, TimeUnit.SECONDS)).as("a second attempt began").isTrue();
      EventThread.exec(() -> ConnectTimeout.expire(manager));
      assertThat(connectErrors.poll(5, TimeUnit.SECONDS)).as("the second attempt's timeout").isNotNull();
      EventThread.exec(socket::close);
    }
  }
}
