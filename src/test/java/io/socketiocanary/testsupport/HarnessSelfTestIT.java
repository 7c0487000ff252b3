package io.socketiocanary.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves the harness against the behaviour in shared/reference/observed-behaviour.md, using only
 * java.net.http and the official Node client, so a failure here is the harness's, not the agent's.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HarnessSelfTestIT {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      // HTTP/2 would send "Upgrade: h2c", which engine.io refuses with "Invalid Upgrade header".
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void theV4ServerAdvertisesItsPingIntervalInThePollingHandshake() throws Exception {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().pingInterval(Duration.ofMillis(1234)).start()) {
      JsonObject open = handshake(server.url(), 4);

      assertThat(open.getInteger("pingInterval")).isEqualTo(1234);
      assertThat(open.getString("sid")).isNotBlank();
    }
  }

  @Test
  void nginxPassesThePollingHandshakeThroughAndLogsIt() throws Exception {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().pingInterval(Duration.ofMillis(4321)).start();
         Nginx nginx = Nginx.builder().upstream(server.port()).start()) {
      JsonObject open = handshake(nginx.url(), 4);

      assertThat(open.getInteger("pingInterval")).isEqualTo(4321);
      assertThat(nginx.accessLog()).anyMatch(line -> line.contains("EIO=4") && line.contains(" 200 "));
    }
  }

  @Test
  void nginxWithoutUpgradeHeadersAnswersAWebSocketUpgradeWith400() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().start();
         Nginx nginx = Nginx.builder().upstream(server.port()).upgradeHeaders(false).start()) {
      assertThat(openWebSocket(server.url())).as("direct to the server").isNotNull();

      assertThatThrownBy(() -> openWebSocket(nginx.url()))
          .isInstanceOf(CompletionException.class)
          .cause().isInstanceOf(WebSocketHandshakeException.class)
          .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(400));
    }
  }

  @Test
  void nginxReadTimeoutCutsAnIdleWebSocketAfterTheTimeout() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().pingInterval(Duration.ofSeconds(30)).start();
         Nginx nginx = Nginx.builder().upstream(server.port()).readTimeout(Duration.ofSeconds(2)).start();
         NodeClient client = NodeClient.connect(nginx.url(), "--transports", "websocket", "--reconnection", "false")) {
      JsonObject connect = client.awaitEvent("connect", WAIT);
      JsonObject disconnect = client.awaitEvent("disconnect", WAIT);

      long idleMs = disconnect.getLong("t") - connect.getLong("t");
      report("nginx proxy_read_timeout 2s cut the idle websocket after " + idleMs + " ms");
      assertThat(disconnect.getString("reason")).isEqualTo("transport close");
      assertThat(idleMs).isBetween(1800L, 2800L);
    }
  }

  @Test
  void nginxReloadAppliesTheNewConfOnTheSamePort() throws Exception {
    try (NodeSocketIoServer first = NodeSocketIoServer.builder().pingInterval(Duration.ofMillis(1111)).start();
         NodeSocketIoServer second = NodeSocketIoServer.builder().pingInterval(Duration.ofMillis(2222)).start();
         Nginx nginx = Nginx.builder().upstream(first.port()).start()) {
      long masterPid = nginx.process().pid();

      nginx.reload(conf -> conf.upstreams(List.of(second.port())));

      assertThat(handshake(nginx.url(), 4).getInteger("pingInterval")).isEqualTo(2222);
      assertThat(nginx.process().pid()).isEqualTo(masterPid);
    }
  }

  @Test
  void disconnectAllGivesTheNodeClientIoServerDisconnect() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().start();
         NodeClient client = NodeClient.connect(server.url(), "--transports", "websocket")) {
      client.awaitEvent("connect", WAIT);
      assertThat(server.stats().sockets()).containsEntry("/", 1);

      server.disconnectAll();

      JsonObject disconnect = client.awaitEvent("disconnect", WAIT);
      assertThat(disconnect.getString("reason")).isEqualTo("io server disconnect");
      assertThat(disconnect.getBoolean("active")).isFalse();
    }
  }

  @Test
  void aWrongTokenIsRefusedWithTokenExpiredAndTheRightOneConnects() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().token("s3cret").namespace("/canary").start();
         NodeClient wrong = NodeClient.connect(server.url(), "--namespace", "/canary", "--token", "stale");
         NodeClient right = NodeClient.connect(server.url(), "--namespace", "/canary", "--token", "s3cret")) {
      JsonObject error = wrong.awaitEvent("connect_error", WAIT);
      assertThat(error.getString("message")).isEqualTo("token expired");
      assertThat(error.getBoolean("active")).isFalse();

      right.awaitEvent("connect", WAIT);
    }
  }

  @Test
  void theV2ServerAnswersAnEngineIo3Handshake() throws Exception {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().version(2).pingInterval(Duration.ofMillis(2000))
        .pingTimeout(Duration.ofMillis(1000)).start()) {
      JsonObject open = handshake(server.url(), 3);

      assertThat(open.getInteger("pingInterval")).isEqualTo(2000);
      assertThat(open.getInteger("pingTimeout")).isEqualTo(1000);
    }
  }

  @Test
  void haproxyRoundRobinSendsAPollingSessionToABackendThatDoesNotKnowIt() throws Exception {
    try (NodeSocketIoServer a = NodeSocketIoServer.builder().id("a").start();
         NodeSocketIoServer b = NodeSocketIoServer.builder().id("b").start();
         HAProxy haproxy = HAProxy.builder().backend(a.port(), b.port()).sticky(false).start()) {
      String sid = handshake(haproxy.url(), 4).getString("sid");

      List<HttpResponse<String>> responses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        responses.add(post(haproxy.url() + "/socket.io/?EIO=4&transport=polling&sid=" + sid, i == 0 ? "40" : "3"));
      }

      assertThat(responses).anySatisfy(r -> {
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject().put("code", 1).put("message", "Session ID unknown"));
      });
      assertThat(responses).anySatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    }
  }

  @Test
  void restartBringsTheServerBackOnTheSamePortAndTheClientReconnects() throws Exception {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().start();
         NodeClient client = NodeClient.connect(server.url(), "--transports", "websocket")) {
      client.awaitEvent("connect", WAIT);
      long oldPid = server.process().pid();
      int port = server.port();

      long started = System.nanoTime();
      server.restart(Duration.ofMillis(300));
      report("restart with 300 ms down took " + (System.nanoTime() - started) / 1_000_000 + " ms");

      assertThat(server.port()).isEqualTo(port);
      assertThat(server.process().pid()).isNotEqualTo(oldPid);
      assertThat(handshake(server.url(), 4).getString("sid")).isNotBlank();
      JsonObject disconnect = client.awaitEvent("disconnect", WAIT);
      assertThat(disconnect.getString("reason")).isEqualTo("transport close");
      JsonObject reconnect = client.awaitEvent("reconnect", WAIT);
      report("node client reconnected " + (reconnect.getLong("t") - disconnect.getLong("t")) + " ms after the disconnect");
    }
  }

  @Test
  void stopPingsMakesTheNodeClientTimeOutOnPings() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().pingInterval(Duration.ofMillis(1000))
        .pingTimeout(Duration.ofMillis(500)).start();
         NodeClient client = NodeClient.connect(server.url(), "--transports", "websocket", "--emit-every", "200")) {
      client.awaitEvent("ack", WAIT);

      server.stopPings(Duration.ofSeconds(3));

      JsonObject disconnect = client.awaitEvent("disconnect", WAIT);
      assertThat(disconnect.getString("reason")).isEqualTo("ping timeout");
      report("ping timeout at t=" + disconnect.getLong("t") + " ms (ping 1000/500)");
    }
  }

  @Test
  void closeAllTcpCutsTheWebSocketWithoutAGoodbye() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().start();
         NodeClient client = NodeClient.connect(server.url(), "--transports", "websocket")) {
      client.awaitEvent("connect", WAIT);

      server.closeAllTcp();

      JsonObject disconnect = client.awaitEvent("disconnect", WAIT);
      assertThat(disconnect.getString("reason")).isEqualTo("transport close");
      assertThat(disconnect.getBoolean("active")).isTrue();
    }
  }

  @Test
  void aFrozenServerLooksHungToTheNodeClient() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().pingInterval(Duration.ofMillis(1000))
        .pingTimeout(Duration.ofMillis(500)).start();
         NodeClient client = NodeClient.connect(server.url(), "--transports", "websocket")) {
      client.awaitEvent("connect", WAIT);

      server.freeze(Duration.ofMillis(2500));

      JsonObject disconnect = client.awaitEvent("disconnect", WAIT);
      assertThat(disconnect.getString("reason")).isEqualTo("ping timeout");
      report("frozen server: ping timeout at t=" + disconnect.getLong("t") + " ms (ping 1000/500)");
    }
  }

  private static JsonObject handshake(String baseUrl, int eio) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create(baseUrl + "/socket.io/?EIO=" + eio + "&transport=polling"))
            .timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("handshake status, body %s", response.body()).isEqualTo(200);
    String body = response.body();
    // EIO 4: 0{...}; EIO 3: <length>:0{...}<more packets>
    int start = body.indexOf("0{");
    int end = body.indexOf('}', start);
    assertThat(start).as("open packet in %s", body).isGreaterThanOrEqualTo(0);
    return new JsonObject(body.substring(start + 1, end + 1));
  }

  private static HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
            .header("Content-Type", "text/plain;charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static WebSocket openWebSocket(String baseUrl) {
    URI uri = URI.create(baseUrl.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket");
    WebSocket webSocket = HTTP.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {}).join();
    webSocket.abort();
    return webSocket;
  }

  private static void report(String message) {
    System.out.println("[harness-self-test] " + message);
  }
}
