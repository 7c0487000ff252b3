package io.socketiocanary.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.socketiocanary.config.ConfigLoader;
import io.socketiocanary.config.TargetConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WebSocketDialer} end to end through {@link HttpClients}: a host name is looked up off
 * the event loops and the EventThread (here "localhost", from /etc/hosts: no DNS traffic), the
 * configured headers reach the server, and the open count goes back to zero.
 */
class WebSocketDialerTest {
  private Vertx vertx;
  private HttpServer server;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer()
        .requestHandler(request -> {
          seen.add(request.headers().get("Origin") + " " + request.headers().get("X-Canary") + " "
              + request.headers().get("User-Agent"));
          request.toWebSocket().onSuccess(ws -> ws.writeTextMessage("hello"));
        })
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aHostNameIsLookedUpAndTheHandshakeCarriesTheConfiguredHeaders() throws Exception {
    TargetConfig target = target("http://localhost:" + server.actualPort());
    try (HttpClients clients = new HttpClients()) {
      WebSocketDialer dialer = clients.forTarget(target).webSockets();
      AtomicInteger messages = new AtomicInteger();
      Request request = new Request.Builder().url("http://localhost:" + server.actualPort() + "/socket.io/?EIO=4")
          .header("Origin", "https://app.example.com").header("X-Canary", "yes").build();
      NettyWebSocket ws = dialer.create(request, new WebSocketListener() {
        @Override
        public void onMessage(WebSocket webSocket, String text) {
          messages.incrementAndGet();
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {}
      }, r -> { }, done -> { });
      dialer.connect(ws);
      await().atMost(Duration.ofSeconds(10)).until(() -> messages.get() == 1);
      assertThat(seen).containsExactly("https://app.example.com yes okhttp/" + okhttp3.OkHttp.VERSION);
      assertThat(clients.openWebSockets()).isEqualTo(1);
      ws.close(1000, "");
      await().atMost(Duration.ofSeconds(10)).until(() -> clients.openWebSockets() == 0);
    }
  }

  @Test
  void aMessageReachesTheClientOnItsEventThreadAndItsAnswerLeavesFromThere() throws Exception {
    // What makes a ping one thread wake-up (EventThreadLoop): the loop that reads the frame is the
    // library's EventThread, so the engine handles it inline and its pong is written inline.
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    List<String> answers = new CopyOnWriteArrayList<>();
    server = vertx.createHttpServer()
        .requestHandler(request -> request.toWebSocket().onSuccess(ws -> {
          ws.textMessageHandler(answers::add);
          ws.writeTextMessage("2");
        }))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (HttpClients clients = new HttpClients()) {
      WebSocketDialer dialer = clients.forTarget(target("http://127.0.0.1:" + server.actualPort())).webSockets();
      List<Boolean> onEventThread = new CopyOnWriteArrayList<>();
      Request request = new Request.Builder().url("http://127.0.0.1:" + server.actualPort() + "/socket.io/?EIO=4").build();
      NettyWebSocket ws = dialer.create(request, new WebSocketListener() {
        @Override
        public void onMessage(WebSocket webSocket, String text) {
          onEventThread.add(io.socket.thread.EventThread.isCurrent());
          webSocket.send("3");
        }
      }, r -> { }, done -> { });
      dialer.connect(ws);
      await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 1);
      assertThat(onEventThread).containsExactly(true);
      assertThat(answers).containsExactly("3");
      ws.close(1000, "");
      await().atMost(Duration.ofSeconds(10)).until(() -> clients.openWebSockets() == 0);
    }
  }

  private static TargetConfig target(String url) throws Exception {
    return ConfigLoader.fromConfig(ConfigFactory.parseString(
        "canary { targets = [ { name = t, url = \"" + url + "\", clients = 1 } ] }"), "test").targets().get(0);
  }
}
