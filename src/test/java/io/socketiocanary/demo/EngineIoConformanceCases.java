package io.socketiocanary.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The Engine.IO cases that both published suites share (handshake, heartbeat, close, upgrade), as
 * facts about the embedded server: this request, that answer. Where a suite sleeps and hopes
 * (a poll "after" the ping timeout, a close packet "while" a poll is held), these tests wait for
 * the server state the case is about. A subclass picks the {@link ConformanceServer.Setup}.
 */
abstract class EngineIoConformanceCases {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final long WAIT_MS = RawWebSocket.WAIT.toMillis();

  private Vertx vertx;
  protected ConformanceServer server;
  private final List<RawWebSocket> sockets = new java.util.ArrayList<>();

  abstract ConformanceServer.Setup setup();

  /** Shows that an upgraded session still carries messages over its WebSocket. */
  abstract void assertCarriesMessages(RawWebSocket upgraded) throws Exception;

  @BeforeEach
  void startServer(TestInfo test) throws Exception {
    vertx = Vertx.vertx();
    Heartbeat heartbeat = test.getTestMethod().map(m -> m.getAnnotation(Heartbeat.class)).orElse(null);
    server = heartbeat == null
        ? ConformanceServer.start(vertx, setup(), 0)
        : ConformanceServer.start(vertx, setup(), 0,
            Duration.ofMillis(heartbeat.intervalMs()), Duration.ofMillis(heartbeat.timeoutMs()));
  }

  @AfterEach
  void stopServer() throws Exception {
    sockets.forEach(RawWebSocket::close);
    server.stop();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  // --- requests as the suites write them ---

  String query(String query) {
    return "http://127.0.0.1:" + server.port() + setup().path + "?" + query;
  }

  String polling(String sid) {
    return query("EIO=4&transport=polling&sid=" + sid);
  }

  HttpResponse<String> get(String url) throws Exception {
    return getAsync(url).get(WAIT_MS, TimeUnit.MILLISECONDS);
  }

  CompletableFuture<HttpResponse<String>> getAsync(String url) {
    return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String url, String body) throws Exception {
    return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "text/plain;charset=UTF-8").build(), HttpResponse.BodyHandlers.ofString())
        .get(WAIT_MS, TimeUnit.MILLISECONDS);
  }

  HttpResponse<String> post(String url, String body) throws Exception {
    return send("POST", url, body);
  }

  String openPollingSession() throws Exception {
    HttpResponse<String> open = get(query("EIO=4&transport=polling"));
    assertThat(open.statusCode()).isEqualTo(200);
    return new JsonObject(open.body().substring(1)).getString("sid");
  }

  RawWebSocket webSocket(String query, boolean answerPings) throws Exception {
    RawWebSocket socket = RawWebSocket.open(query(query).replace("http://", "ws://"), answerPings);
    sockets.add(socket);
    return socket;
  }

  RawWebSocket webSocket(boolean answerPings) throws Exception {
    return webSocket("EIO=4&transport=websocket", answerPings);
  }

  /** A polling session upgraded to WebSocket: 2probe → 3probe, then the upgrade packet 5. */
  RawWebSocket upgrade(String sid) throws Exception {
    RawWebSocket socket = webSocket("EIO=4&transport=websocket&sid=" + sid, true);
    socket.send("2probe");
    assertThat(socket.nextPacket()).isEqualTo("3probe");
    socket.send("5");
    await().atMost(RawWebSocket.WAIT).until(() -> server.upgraded(sid));
    return socket;
  }

  private static void assertOpenPacket(String packet, List<String> upgrades) {
    assertThat(packet).startsWith("0");
    JsonObject open = new JsonObject(packet.substring(1));
    assertThat(open.fieldNames()).containsExactlyInAnyOrder("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload");
    assertThat(open.getValue("sid")).isInstanceOf(String.class);
    assertThat(open.getJsonArray("upgrades").stream().toList()).isEqualTo(upgrades);
    assertThat(open.getLong("pingInterval")).isEqualTo(ConformanceServer.PING_INTERVAL.toMillis());
    assertThat(open.getLong("pingTimeout")).isEqualTo(ConformanceServer.PING_TIMEOUT.toMillis());
    assertThat(open.getLong("maxPayload")).isEqualTo(1_000_000);
  }

  // --- handshake ---

  @Test
  void aPollingHandshakeOpensASessionThatMayUpgradeToWebSocket() throws Exception {
    HttpResponse<String> open = get(query("EIO=4&transport=polling"));

    assertThat(open.statusCode()).isEqualTo(200);
    assertOpenPacket(open.body(), List.of("websocket"));
  }

  @Test
  void aPollingHandshakeWithoutOrWithAnInvalidEioIsRefusedWith400() throws Exception {
    assertThat(get(query("transport=polling")).statusCode()).isEqualTo(400);
    assertThat(get(query("EIO=abc&transport=polling")).statusCode()).isEqualTo(400);
  }

  @Test
  void aPollingHandshakeWithoutOrWithAnUnknownTransportIsRefusedWith400() throws Exception {
    assertThat(get(query("EIO=4")).statusCode()).isEqualTo(400);
    assertThat(get(query("EIO=4&transport=abc")).statusCode()).isEqualTo(400);
  }

  @Test
  void aPollingHandshakeByPostOrPutIsRefusedWith400() throws Exception {
    assertThat(send("POST", query("EIO=4&transport=polling"), "").statusCode()).isEqualTo(400);
    assertThat(send("PUT", query("EIO=4&transport=polling"), "").statusCode()).isEqualTo(400);
  }

  @Test
  void aWebSocketHandshakeOpensASessionWithNothingToUpgradeTo() throws Exception {
    RawWebSocket socket = webSocket(false);

    assertOpenPacket((String) socket.next(), List.of());
  }

  @Test
  void aWebSocketHandshakeWithoutOrWithAnInvalidEioIsRefused() throws Exception {
    String ws = query("").replace("http://", "ws://");
    assertThat(RawWebSocket.refusal(ws + "transport=websocket")).isEqualTo(400);
    assertThat(RawWebSocket.refusal(ws + "EIO=abc&transport=websocket")).isEqualTo(400);
  }

  @Test
  void aWebSocketHandshakeWithoutOrWithAnUnknownTransportIsRefused() throws Exception {
    String ws = query("").replace("http://", "ws://");
    assertThat(RawWebSocket.refusal(ws + "EIO=4")).isEqualTo(400);
    assertThat(RawWebSocket.refusal(ws + "EIO=4&transport=abc")).isEqualTo(400);
  }

  // --- heartbeat ---

  @Test
  @Heartbeat(intervalMs = 300, timeoutMs = 2_000)
  void overPollingTheServerPingsAndThePongsKeepTheSessionOpen() throws Exception {
    String sid = openPollingSession();

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> poll = get(polling(sid));
      assertThat(poll.statusCode()).isEqualTo(200);
      assertThat(poll.body()).isEqualTo("2");
      assertThat(post(polling(sid), "3").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void overPollingAPingWithoutPongClosesTheSession() throws Exception {
    String sid = openPollingSession();
    assertThat(get(polling(sid)).body()).isEqualTo("2");

    // No pong. A poll the server holds when the ping timeout ends the session is answered with a
    // close; one that arrives after it (a slow machine) finds no session.
    HttpResponse<String> poll = get(polling(sid));
    if (poll.statusCode() == 200) {
      assertThat(poll.body()).isEqualTo("1");
      poll = get(polling(sid));
    }
    assertThat(poll.statusCode()).isEqualTo(400);
  }

  @Test
  @Heartbeat(intervalMs = 300, timeoutMs = 2_000)
  void overWebSocketTheServerPingsAndThePongsKeepTheSessionOpen() throws Exception {
    RawWebSocket socket = webSocket(false);
    socket.next(); // the open packet

    for (int i = 0; i < 3; i++) {
      assertThat(socket.next()).isEqualTo("2");
      socket.send("3");
    }
    assertThat(socket.isClosed()).isFalse();
  }

  @Test
  void overWebSocketAPingWithoutPongClosesTheConnection() throws Exception {
    RawWebSocket socket = webSocket(false);

    socket.awaitClose();
    await().atMost(RawWebSocket.WAIT).until(() -> server.sessionCount() == 0);
  }

  // --- close ---

  @Test
  @Heartbeat(intervalMs = Heartbeat.OUT_OF_THE_WAY, timeoutMs = Heartbeat.OUT_OF_THE_WAY)
  void aClosePacketOverPollingEndsTheSessionAndTheHeldPollWithANoop() throws Exception {
    String sid = openPollingSession();
    CompletableFuture<HttpResponse<String>> held = getAsync(polling(sid));
    await().atMost(RawWebSocket.WAIT).until(() -> server.holdsPoll(sid));

    post(polling(sid), "1");

    HttpResponse<String> poll = held.get(WAIT_MS, TimeUnit.MILLISECONDS);
    assertThat(poll.statusCode()).isEqualTo(200);
    assertThat(poll.body()).isEqualTo("6");
    assertThat(get(polling(sid)).statusCode()).isEqualTo(400);
  }

  @Test
  void aClosePacketOverWebSocketClosesTheConnection() throws Exception {
    RawWebSocket socket = webSocket(true);
    socket.next(); // the open packet

    socket.send("1");

    socket.awaitClose();
  }

  // --- upgrade ---

  @Test
  @Heartbeat(intervalMs = Heartbeat.OUT_OF_THE_WAY, timeoutMs = Heartbeat.OUT_OF_THE_WAY)
  void aPollingSessionUpgradesToWebSocketAndThePollInFlightEndsWithANoop() throws Exception {
    String sid = openPollingSession();
    RawWebSocket socket = webSocket("EIO=4&transport=websocket&sid=" + sid, true);

    socket.send("2probe");
    assertThat(socket.nextPacket()).isEqualTo("3probe");
    HttpResponse<String> poll = get(polling(sid));
    assertThat(poll.statusCode()).isEqualTo(200);
    assertThat(poll.body()).isEqualTo("6");
    socket.send("5");

    assertCarriesMessages(socket);
  }

  @Test
  @Heartbeat(intervalMs = Heartbeat.OUT_OF_THE_WAY, timeoutMs = Heartbeat.OUT_OF_THE_WAY)
  void afterTheUpgradePollingRequestsWithTheSidAreRefused() throws Exception {
    String sid = openPollingSession();
    RawWebSocket socket = upgrade(sid);

    assertThat(get(polling(sid)).statusCode()).isEqualTo(400);
    assertCarriesMessages(socket);
  }

  @Test
  @Heartbeat(intervalMs = Heartbeat.OUT_OF_THE_WAY, timeoutMs = Heartbeat.OUT_OF_THE_WAY)
  void afterTheUpgradeASecondWebSocketWithTheSidIsOpenedAndClosed() throws Exception {
    String sid = openPollingSession();
    RawWebSocket socket = upgrade(sid);

    RawWebSocket second = webSocket("EIO=4&transport=websocket&sid=" + sid, true);
    second.awaitClose();

    assertCarriesMessages(socket);
  }
}
