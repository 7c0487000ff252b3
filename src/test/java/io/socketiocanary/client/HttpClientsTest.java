package io.socketiocanary.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.socket.thread.EventThread;
import io.socketiocanary.client.polling.PollingCalls;
import io.socketiocanary.config.ConfigLoader;
import io.socketiocanary.config.TargetConfig;
import io.socketiocanary.selfwatch.LoopNames;
import io.socketiocanary.selfwatch.WatchedLoop;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where {@link HttpClients} runs the canaries' I/O: polling calls on the loop WebSockets run on,
 * which is the client library's EventThread, so an answer reaches the engine with no hand-off
 * between threads (the library's {@code EventThread.exec} then runs inline); and the self-watch
 * watches that loop under both labels polling and WebSocket I/O have always had.
 */
class HttpClientsTest {
  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(request -> request.response().end("ok"))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aPollingAnswerReachesItsCallbackOnTheEventThread() throws Exception {
    String url = "http://127.0.0.1:" + server.actualPort();
    try (HttpClients clients = new HttpClients()) {
      PollingCalls calls = clients.forTarget(target(url)).polling().forCanary(() -> false, response -> { });
      CompletableFuture<String> answered = new CompletableFuture<>();
      calls.newCall(new Request.Builder().url(url + "/socket.io/?EIO=4&transport=polling").build())
          .enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
              answered.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call call, Response response) throws IOException {
              String body = response.body().string();
              response.close();
              answered.complete(body + " on " + (EventThread.isCurrent() ? "the EventThread" : Thread.currentThread()));
            }
          });
      assertThat(answered.get(10, TimeUnit.SECONDS)).isEqualTo("ok on the EventThread");
    }
  }

  @Test
  void theSelfWatchSeesThatLoopUnderTheWebSocketAndThePollingLabels() throws Exception {
    try (HttpClients clients = new HttpClients()) {
      List<WatchedLoop> io = ClientLoops.of(clients).stream()
          .filter(w -> w.loop().equals(LoopNames.WEBSOCKET_EVENT_LOOP) || w.loop().equals(LoopNames.POLLING_DISPATCHER))
          .toList();
      assertThat(io).extracting(WatchedLoop::loop)
          .containsExactlyInAnyOrder(LoopNames.WEBSOCKET_EVENT_LOOP, LoopNames.POLLING_DISPATCHER);
      for (WatchedLoop loop : io) {
        CompletableFuture<Boolean> onEventThread = new CompletableFuture<>();
        loop.executor().execute(() -> onEventThread.complete(EventThread.isCurrent()));
        assertThat(onEventThread.get(10, TimeUnit.SECONDS)).as(loop.loop()).isTrue();
      }
    }
  }

  private static TargetConfig target(String url) throws Exception {
    return ConfigLoader.fromConfig(ConfigFactory.parseString(
        "canary { targets = [ { name = t, url = \"" + url + "\", clients = 1 } ] }"), "test").targets().get(0);
  }
}
