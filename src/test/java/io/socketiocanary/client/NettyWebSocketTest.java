package io.socketiocanary.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link NettyWebSocket} against a real (Vert.x) WebSocket server on loopback: the callbacks
 * engine.io-client's transport relies on, in OkHttp's order and with OkHttp's exceptions.
 */
class NettyWebSocketTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private Vertx vertx;
  private HttpServer server;
  private EventLoopGroup loops;
  private final BlockingQueue<ServerWebSocket> accepted = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> serverSawClose = new LinkedBlockingQueue<>();
  private final AtomicReference<String> serverGreeting = new AtomicReference<>("0{\"sid\":\"s\"}");

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer()
        .requestHandler(request -> {
          if (request.path().equals("/plain-http")) {
            // What engine.io answers a WebSocket handshake that lost its Upgrade header.
            request.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                .end("{\"code\":3,\"message\":\"Bad request\"}");
            return;
          }
          request.toWebSocket().onSuccess(ws -> {
            ws.textMessageHandler(text -> ws.writeTextMessage("echo:" + text));
            ws.closeHandler(v -> serverSawClose.add(String.valueOf(ws.closeStatusCode())));
            accepted.add(ws);
            String greeting = serverGreeting.get();
            if (greeting != null) {
              ws.writeTextMessage(greeting);
            }
          });
        })
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterEach
  void stop() throws Exception {
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void opensBeforeTheFirstMessageEvenWhenTheServerSpeaksFirst() {
    Recorder events = new Recorder();
    NettyWebSocket ws = connect("/ok", events);
    await().atMost(WAIT).until(() -> events.list.size() >= 2);
    assertThat(events.list).startsWith("open 101", "text 0{\"sid\":\"s\"}");
    assertThat(ws.send("2probe")).isTrue();
    await().atMost(WAIT).until(() -> events.list.contains("text echo:2probe"));
  }

  @Test
  void aCloseFrameFromTheServerIsAnsweredAndReportedAtOnce() throws Exception {
    Recorder events = new Recorder();
    connect("/ok", events);
    ServerWebSocket peer = accepted.poll(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> events.list.contains("open 101"));
    peer.close((short) 1001, "going away");
    await().atMost(WAIT).until(() -> events.terminal.get() != null);
    assertThat(events.terminal.get()).isEqualTo("closed 1001 going away");
    assertThat(events.terminals.get()).isEqualTo(1);
  }

  @Test
  void aResetIsAFailureNotAClose() throws Exception {
    Recorder events = new Recorder();
    NettyWebSocket ws = connect("/ok", events);
    await().atMost(WAIT).until(() -> events.list.contains("open 101"));
    assertThat(ws.reset()).isTrue();
    await().atMost(WAIT).until(() -> events.terminal.get() != null);
    assertThat(events.failure.get()).as("%s", events.list).isInstanceOf(SocketException.class)
        .hasMessage("Connection reset");
    // No close frame reached the server (Vert.x says 1006 then): the connection just died.
    assertThat(serverSawClose.poll(10, TimeUnit.SECONDS)).isEqualTo("1006");
    assertThat(ws.reset()).as("nothing left to cut").isFalse();
    assertThat(ws.send("late")).isFalse();
    assertThat(events.terminals.get()).isEqualTo(1);
  }

  @Test
  void aRejectedHandshakeCarriesItsStatusAndKeepsTheBody() throws Exception {
    Recorder events = new Recorder();
    AtomicReference<Response> rejected = new AtomicReference<>();
    NettyWebSocket ws = new NettyWebSocket(request("/plain-http"), events, rejected::set, done -> { });
    connect(ws, "/plain-http", server.actualPort());
    await().atMost(WAIT).until(() -> events.terminal.get() != null);
    assertThat(events.failure.get()).isInstanceOf(WebSocketUpgradeRefused.class);
    assertThat(((WebSocketUpgradeRefused) events.failure.get()).status()).isEqualTo(400);
    assertThat(events.failureResponse.get().code()).isEqualTo(400);
    assertThat(rejected.get().peekBody(100).string()).contains("\"code\":3");
  }

  @Test
  void aRefusedConnectionIsAConnectException() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    Recorder events = new Recorder();
    NettyWebSocket ws = new NettyWebSocket(request("/ok"), events, r -> { }, done -> { });
    connect(ws, "/ok", closedPort);
    await().atMost(WAIT).until(() -> events.terminal.get() != null);
    assertThat(events.failure.get()).isInstanceOf(ConnectException.class);
  }

  @Test
  void anAddressThatRefusesIsPassedOverForTheHostsNext() {
    // 127.0.0.2 is loopback too, but the server listens on 127.0.0.1 only: refused at once.
    int port = server.actualPort();
    Recorder events = new Recorder();
    NettyWebSocket ws = new NettyWebSocket(request("/ok"), events, r -> { }, done -> { });
    ws.connect(loops, URI.create("ws://canary.test:" + port + "/ok"),
        List.of(new InetSocketAddress("127.0.0.2", port), new InetSocketAddress("127.0.0.1", port)), Map.of(), null,
        5000, HttpClients.MAX_WEBSOCKET_MESSAGE_BYTES);
    await().atMost(WAIT).until(() -> events.list.contains("open 101"));
    ws.cancel();
  }

  @Test
  void whenEveryAddressRefusesTheFirstOnesFailureIsReportedWithTheRestSuppressed() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    Recorder events = new Recorder();
    NettyWebSocket ws = new NettyWebSocket(request("/ok"), events, r -> { }, done -> { });
    ws.connect(loops, URI.create("ws://canary.test:" + closedPort + "/ok"),
        List.of(new InetSocketAddress("127.0.0.2", closedPort), new InetSocketAddress("127.0.0.1", closedPort)),
        Map.of(), null, 5000, HttpClients.MAX_WEBSOCKET_MESSAGE_BYTES);
    await().atMost(WAIT).until(() -> events.terminal.get() != null);
    assertThat(events.failure.get()).isInstanceOf(ConnectException.class).hasMessageContaining("127.0.0.2");
    assertThat(events.failure.get().getSuppressed()).singleElement().asString().contains("127.0.0.1");
    assertThat(events.terminals).hasValue(1);
  }

  @Test
  void aServerThatNeverAnswersTheHandshakeTimesOut() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Recorder events = new Recorder();
      NettyWebSocket ws = new NettyWebSocket(request("/ok"), events, r -> { }, done -> { });
      ws.connect(loops, URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/ok"),
          List.of(new InetSocketAddress("127.0.0.1", silent.getLocalPort())), Map.of(), null, 300,
          HttpClients.MAX_WEBSOCKET_MESSAGE_BYTES);
      await().atMost(WAIT).until(() -> events.terminal.get() != null);
      assertThat(events.failure.get()).isInstanceOf(java.net.SocketTimeoutException.class);
    }
  }

  @Test
  void anAnswerWhoseHeadersNeverEndTimesOutAndIsNotReadAsThatStatus() throws Exception {
    // A slowloris: a status line, then headers that never end. When our timeout closes the
    // channel, the codec flushes the half-read "200" out: it must not count as the server's answer.
    try (ServerSocket slow = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        try (java.net.Socket peer = slow.accept()) {
          peer.getOutputStream().write("HTTP/1.1 200 OK\r\nX-Slow: y\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          peer.getOutputStream().flush();
          peer.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        } catch (java.io.IOException e) {
          // The client went away: done.
        }
      }, "slowloris");
      server.setDaemon(true);
      server.start();
      Recorder events = new Recorder();
      NettyWebSocket ws = new NettyWebSocket(request("/ok"), events, r -> { }, done -> { });
      ws.connect(loops, URI.create("ws://127.0.0.1:" + slow.getLocalPort() + "/ok"),
          List.of(new InetSocketAddress("127.0.0.1", slow.getLocalPort())), Map.of(), null, 300,
          HttpClients.MAX_WEBSOCKET_MESSAGE_BYTES);
      await().atMost(WAIT).until(() -> events.terminal.get() != null);
      assertThat(events.failure.get()).as("%s", events.list).isInstanceOf(java.net.SocketTimeoutException.class);
      assertThat(events.failureResponse.get()).isNull();
    }
  }

  @Test
  void aPingIsAnsweredWithAPong() throws Exception {
    Recorder events = new Recorder();
    connect("/ok", events);
    ServerWebSocket peer = accepted.poll(10, TimeUnit.SECONDS);
    BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    peer.pongHandler(data -> pongs.add(data.toString()));
    await().atMost(WAIT).until(() -> events.list.contains("open 101"));
    peer.writePing(io.vertx.core.buffer.Buffer.buffer("are-you-there"));
    assertThat(pongs.poll(10, TimeUnit.SECONDS)).isEqualTo("are-you-there");
  }

  @Test
  void aMessageOverTheLimitFailsTheConnectionInsteadOfBeingBuffered() throws Exception {
    Recorder events = new Recorder();
    connect("/ok", events);
    ServerWebSocket peer = accepted.poll(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> events.list.contains("open 101"));
    peer.writeTextMessage("x".repeat(HttpClients.MAX_WEBSOCKET_MESSAGE_BYTES + 1));
    await().atMost(WAIT).until(() -> events.terminal.get() != null);
    assertThat(events.list).noneMatch(e -> e.startsWith("text x"));
    assertThat(events.terminals.get()).isEqualTo(1);
  }

  @Test
  void aCloseAskedForBeforeTheHandshakeEndsIsSentOnceOpenAndCancelEndsEverything() throws Exception {
    serverGreeting.set(null);
    Recorder events = new Recorder();
    NettyWebSocket ws = connect("/ok", events);
    assertThat(ws.close(1000, "")).isTrue();
    assertThat(ws.close(1000, "")).as("only once").isFalse();
    await().atMost(WAIT).until(() -> events.terminal.get() != null);
    assertThat(serverSawClose.poll(10, TimeUnit.SECONDS)).isEqualTo("1000");
    assertThat(events.terminal.get()).isEqualTo("closed 1000 ");

    Recorder second = new Recorder();
    NettyWebSocket cancelled = connect("/ok", second);
    await().atMost(WAIT).until(() -> second.list.contains("open 101"));
    cancelled.cancel();
    await().atMost(WAIT).until(() -> second.terminal.get() != null);
    assertThat(second.failure.get()).isInstanceOf(SocketException.class).hasMessage("Canceled");
    assertThat(cancelled.finished()).isTrue();
  }

  private NettyWebSocket connect(String path, Recorder events) {
    NettyWebSocket ws = new NettyWebSocket(request(path), events, r -> { }, done -> { });
    connect(ws, path, server.actualPort());
    return ws;
  }

  private void connect(NettyWebSocket ws, String path, int port) {
    ws.connect(loops, URI.create("ws://127.0.0.1:" + port + path), List.of(new InetSocketAddress("127.0.0.1", port)),
        Map.of(), null, 5000, HttpClients.MAX_WEBSOCKET_MESSAGE_BYTES);
  }

  private Request request(String path) {
    return new Request.Builder().url("http://127.0.0.1:" + server.actualPort() + path).build();
  }

  /** What engine.io-client's listener would see, in order. */
  private static final class Recorder extends WebSocketListener {
    final List<String> list = new CopyOnWriteArrayList<>();
    final AtomicReference<String> terminal = new AtomicReference<>();
    final AtomicInteger terminals = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final AtomicReference<Response> failureResponse = new AtomicReference<>();

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      list.add("open " + response.code());
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      list.add("text " + text);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      list.add("binary " + bytes.size());
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      end("closed " + code + " " + reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      failure.set(t);
      failureResponse.set(response);
      end("failure " + t);
    }

    private void end(String what) {
      list.add(what);
      terminals.incrementAndGet();
      terminal.compareAndSet(null, what);
    }
  }
}
