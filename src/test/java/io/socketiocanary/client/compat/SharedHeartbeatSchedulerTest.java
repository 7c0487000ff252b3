package io.socketiocanary.client.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.socket.engineio.client.Socket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared heartbeat scheduler against engine.io-client 2.1.0 itself: if these fail after a
 * library update, its private {@code heartbeatScheduler} field or {@code getHeartbeatScheduler()}
 * changed, and {@link SharedHeartbeatScheduler} must be revisited (the agent then falls back to a
 * thread per engine socket, and says so once in its log).
 */
class SharedHeartbeatSchedulerTest {
  private static final String OPEN_PACKET =
      "0{\"sid\":\"s1\",\"upgrades\":[],\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":1000000}";

  private SilentWebSocketServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = new SilentWebSocketServer();
  }

  @AfterEach
  void stopServer() throws IOException {
    server.close();
  }

  @Test
  void theLibraryStillHasTheFieldAndMethodItReplaces() {
    assertThat(SharedHeartbeatScheduler.unavailableBecause()).isNull();
    assertThat(SharedHeartbeatScheduler.available()).isTrue();
  }

  @Test
  void anEngineGivenTheSharedSchedulerDetectsAPingTimeoutWithIt() throws Exception {
    Socket engine = engine();
    CompletableFuture<Void> opened = new CompletableFuture<>();
    CompletableFuture<String> closed = new CompletableFuture<>();
    engine.on(Socket.EVENT_OPEN, args -> opened.complete(null));
    engine.on(Socket.EVENT_CLOSE, args -> closed.complete(String.valueOf(args[0])));
    engine.on(Socket.EVENT_TRANSPORT, args -> assertThat(SharedHeartbeatScheduler.install(engine)).isTrue());
    engine.open();

    opened.get(5, TimeUnit.SECONDS);
    assertThat(heartbeatSchedulerOf(engine)).isSameAs(SharedHeartbeatScheduler.forEngines());
    // The server never pings: pingInterval + pingTimeout (500 ms) later the shared timer fires.
    assertThat(closed.get(5, TimeUnit.SECONDS)).isEqualTo("ping timeout");
  }

  @Test
  void anEngineClosingDoesNotShutDownTheSchedulerTheOthersUse() throws Exception {
    Socket first = engine();
    CompletableFuture<Void> opened = new CompletableFuture<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    first.on(Socket.EVENT_TRANSPORT, args -> SharedHeartbeatScheduler.install(first));
    first.on(Socket.EVENT_OPEN, args -> opened.complete(null));
    first.on(Socket.EVENT_CLOSE, args -> closed.complete(null));
    first.open();
    opened.get(5, TimeUnit.SECONDS);
    first.close();
    closed.get(5, TimeUnit.SECONDS);

    ScheduledExecutorService shared = SharedHeartbeatScheduler.forEngines();
    assertThat(shared.isShutdown()).isFalse();
    assertThat(shared.schedule(() -> "still running", 1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS))
        .isEqualTo("still running");
  }

  @Test
  void anEngineThatAlreadyHasItsOwnSchedulerKeepsIt() throws Exception {
    Socket engine = engine();
    Method getter = Socket.class.getDeclaredMethod("getHeartbeatScheduler");
    getter.setAccessible(true);
    ScheduledExecutorService own = (ScheduledExecutorService) getter.invoke(engine);
    try {
      assertThat(SharedHeartbeatScheduler.install(engine)).isFalse();
      assertThat(heartbeatSchedulerOf(engine)).isSameAs(own);
    } finally {
      own.shutdownNow();
    }
  }

  private Socket engine() {
    Socket.Options options = new Socket.Options();
    options.transports = new String[] {"websocket"};
    return new Socket(URI.create("http://127.0.0.1:" + server.port()), options);
  }

  private static ScheduledExecutorService heartbeatSchedulerOf(Socket engine) throws Exception {
    var field = Socket.class.getDeclaredField("heartbeatScheduler");
    field.setAccessible(true);
    return (ScheduledExecutorService) field.get(engine);
  }

  /**
   * Accepts WebSocket handshakes on loopback, sends the Engine.IO open packet, then says nothing:
   * no ping ever comes, as behind a path that went silent. It holds every accepted socket until it
   * closes: an accepted socket nothing refers to is closed by the JDK's cleaner at the next
   * collection, and the engine would then see its connection cut ("transport error") before the
   * ping timeout this test waits for.
   */
  private static final class SilentWebSocketServer implements AutoCloseable {
    private static final Pattern KEY = Pattern.compile("(?im)^Sec-WebSocket-Key:\\s*(\\S+)");
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<java.net.Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor = new Thread(this::acceptAll, "silent-ws-server");

    SilentWebSocketServer() throws IOException {
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    private void acceptAll() {
      while (!listener.isClosed()) {
        try {
          java.net.Socket s = listener.accept();
          accepted.add(s);
          String request = readHeaders(s.getInputStream());
          Matcher key = KEY.matcher(request);
          if (!key.find()) {
            s.close();
            continue;
          }
          String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
              .digest((key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
          OutputStream out = s.getOutputStream();
          out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          byte[] payload = OPEN_PACKET.getBytes(StandardCharsets.UTF_8);
          out.write(new byte[] {(byte) 0x81, (byte) payload.length});
          out.write(payload);
          out.flush();
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
          return;
        }
      }
    }

    private static String readHeaders(InputStream in) throws IOException {
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = in.read()) != -1) {
        sb.append((char) c);
        if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
          break;
        }
      }
      return sb.toString();
    }

    @Override
    public void close() throws IOException {
      listener.close();
      for (java.net.Socket s : accepted) {
        s.close();
      }
    }
  }
}
