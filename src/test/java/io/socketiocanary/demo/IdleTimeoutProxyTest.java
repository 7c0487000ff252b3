package io.socketiocanary.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The idle-timeout proxy with raw TCP and with real Java clients in front of the demo server. */
class IdleTimeoutProxyTest {

  private static final Duration IDLE = Duration.ofSeconds(1);

  private final List<JavaClient> clients = new ArrayList<>();
  private Vertx vertx;
  private DemoTarget target;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopEverything() throws Exception {
    clients.forEach(JavaClient::close);
    if (target != null) {
      target.stop().await(5, TimeUnit.SECONDS);
    }
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private void startTarget(Duration pingInterval) throws Exception {
    target = new DemoTarget(vertx, new DemoSettings(IDLE, pingInterval, Duration.ofSeconds(2)));
    target.start().await(5, TimeUnit.SECONDS);
  }

  private JavaClient client(TransportMode mode) {
    JavaClient client = JavaClient.connect(target.proxyUrl(), mode);
    clients.add(client);
    return client;
  }

  @ParameterizedTest
  @EnumSource(TransportMode.class)
  void aServerPingingLessOftenThanTheIdleTimeoutIsCutAfterTheTimeoutAndTheClientReconnects(
      TransportMode mode) throws Exception {
    startTarget(Duration.ofSeconds(3));
    JavaClient client = client(mode);

    await().atMost(Duration.ofSeconds(5)).until(() -> client.disconnects.size() == 1);
    long lifetime = client.firstLifetimeMillis();
    System.out.printf("%s: cut %d ms after connect (idle timeout %d ms), reason %s%n",
        mode, lifetime, IDLE.toMillis(), client.disconnectReasons.get(0));

    // Cut at the idle timeout: never before it (bar the client's own event latency), and well
    // before the 3 s ping interval that would be the other explanation; a busy machine adds
    // timer and event delays, hence up to 2 s.
    assertThat(lifetime).isBetween(800L, 2000L);
    assertThat(target.proxy().idleCuts()).isGreaterThanOrEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> client.connects.size() >= 2);
    if (mode == TransportMode.POLLING_UPGRADE) {
      assertThat(client.upgradedTo).contains("websocket");
    }
  }

  @Test
  void aServerPingingMoreOftenThanTheIdleTimeoutKeepsEveryModeConnected() throws Exception {
    startTarget(Duration.ofMillis(300));
    List<JavaClient> all = List.of(
        client(TransportMode.WEBSOCKET), client(TransportMode.POLLING),
        client(TransportMode.POLLING_UPGRADE));
    await().atMost(Duration.ofSeconds(5))
        .until(() -> all.stream().allMatch(c -> c.connects.size() == 1));

    Thread.sleep(3_000);

    for (JavaClient client : all) {
      assertThat(client.disconnects).isEmpty();
      assertThat(client.connects).hasSize(1);
    }
  }

  @Test
  void bytesPassBothWaysAndOnlyAnIdleConnectionIsCut() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Thread echoThread = new Thread(() -> echoOnce(echo), "echo");
      echoThread.setDaemon(true);
      echoThread.start();
      IdleTimeoutProxy proxy = new IdleTimeoutProxy(
          vertx, 0, "127.0.0.1", echo.getLocalPort(), Duration.ofSeconds(1));
      int port = proxy.start().await(5, TimeUnit.SECONDS);

      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.setSoTimeout(5_000);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        // Traffic every 100 ms for 2.5 s: over twice the idle timeout, never idle for long (a
        // round trip would have to take 10 times longer than it does on a busy machine to cut it).
        for (int i = 0; i < 25; i++) {
          out.write('x');
          assertThat(in.read()).isEqualTo('x');
          Thread.sleep(100);
        }
        assertThat(proxy.idleCuts()).isZero();
        assertThat(proxy.openConnections()).isEqualTo(1);

        long silentSince = System.nanoTime();
        assertThat(in.read()).as("the proxy closes without sending anything").isEqualTo(-1);
        long cutAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentSince);

        // The idle timeout, give or take the proxy's timer and a busy machine's scheduling.
        assertThat(cutAfter).isBetween(800L, 2000L);
        assertThat(proxy.idleCuts()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(2)).until(() -> proxy.openConnections() == 0);
      } finally {
        proxy.stop().await(5, TimeUnit.SECONDS);
      }
    }
  }

  private static void echoOnce(ServerSocket server) {
    try (Socket socket = server.accept()) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      byte[] buffer = new byte[1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // the proxy closed the connection: the end of this echo
    }
  }

  @Test
  void bytesThroughTheProxyAreTheBytesTheServerSent() throws Exception {
    startTarget(Duration.ofSeconds(20));
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), target.proxy().port())) {
      socket.getOutputStream().write(("GET /socket.io/?EIO=4&transport=flash HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(response).startsWith("HTTP/1.1 400").endsWith(
          "{\"code\":0,\"message\":\"Transport unknown\"}");
    }
  }
}
