package io.socketiocanary.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The demo server against the real Java client 2.1.2 and raw HTTP, on loopback. */
class DemoSocketIoServerTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final List<JavaClient> clients = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private DemoSocketIoServer server;
  private String url;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopEverything() throws Exception {
    clients.forEach(JavaClient::close);
    if (server != null) {
      server.stop().await(5, TimeUnit.SECONDS);
    }
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private void startServer(Duration pingInterval, Duration pingTimeout) throws Exception {
    server = new DemoSocketIoServer(vertx, 0, pingInterval, pingTimeout);
    int port = server.start().await(5, TimeUnit.SECONDS);
    assertThat(port).isPositive().isEqualTo(server.port());
    url = "http://127.0.0.1:" + port;
  }

  private JavaClient client(TransportMode mode) {
    JavaClient client = JavaClient.connect(url, mode);
    clients.add(client);
    return client;
  }

  @ParameterizedTest
  @EnumSource(TransportMode.class)
  void eachTransportModeConnectsToTheRootNamespaceAndGetsAnAck(TransportMode mode) throws Exception {
    startServer(Duration.ofSeconds(20), Duration.ofSeconds(10));
    JavaClient client = client(mode);

    await().atMost(WAIT).until(() -> client.connects.size() == 1);
    Object[] ack = client.emitWithAck("liveness", WAIT).get();

    assertThat(ack).hasSize(1);
    assertThat(((JSONObject) ack[0]).getBoolean("ok")).isTrue();
    assertThat(server.sessionCount()).isEqualTo(1);
    client.close();
    await().atMost(WAIT).until(() -> server.sessionCount() == 0);
  }

  @Test
  void pollingUpgradeReallySwitchesToWebSocketAndStillAcks() throws Exception {
    startServer(Duration.ofSeconds(20), Duration.ofSeconds(10));
    JavaClient client = client(TransportMode.POLLING_UPGRADE);

    await().atMost(WAIT).until(() -> client.upgradedTo.contains("websocket"));
    assertThat(client.emitWithAck("after-upgrade", WAIT).get()).hasSize(1);
    assertThat(client.disconnects).isEmpty();
  }

  @Test
  void anUnknownNamespaceIsRefusedWithInvalidNamespace() throws Exception {
    startServer(Duration.ofSeconds(20), Duration.ofSeconds(10));
    JavaClient client = JavaClient.connect(url, "/nowhere", TransportMode.WEBSOCKET);
    clients.add(client);

    await().atMost(WAIT).until(() -> !client.connectErrors.isEmpty());
    assertThat(((JSONObject) client.connectErrors.get(0)).getString("message"))
        .isEqualTo("Invalid namespace");
    assertThat(client.connects).isEmpty();
  }

  @Test
  void pingsKeepEveryTransportModeAliveForMoreThanTwoPingIntervals() throws Exception {
    startServer(Duration.ofMillis(500), Duration.ofMillis(500));
    List<JavaClient> all = List.of(
        client(TransportMode.WEBSOCKET), client(TransportMode.POLLING),
        client(TransportMode.POLLING_UPGRADE));
    await().atMost(WAIT).until(() -> all.stream().allMatch(c -> c.connects.size() == 1));

    // Without pings the client would give up after pingInterval + pingTimeout = 1 s. Wait for
    // the third ping (at least 1.5 s, longer on a busy machine) rather than for a fixed time.
    await().atMost(WAIT).until(() -> all.stream().allMatch(c -> c.pings.get() >= 3));

    for (JavaClient client : all) {
      assertThat(client.disconnects).isEmpty();
    }
    assertThat(server.sessionCount()).isEqualTo(3);
  }

  @Test
  void aSessionThatNeverAnswersPingsIsClosedAfterPingIntervalPlusPingTimeout() throws Exception {
    startServer(Duration.ofMillis(200), Duration.ofMillis(200));
    HttpResponse<String> handshake = get("/socket.io/?EIO=4&transport=polling");
    String sid = new JSONObject(handshake.body().substring(1)).getString("sid");
    assertThat(server.sessionCount()).isEqualTo(1);

    assertThat(get("/socket.io/?EIO=4&transport=polling&sid=" + sid).body()).isEqualTo("2");
    await().atMost(Duration.ofSeconds(2)).until(() -> server.sessionCount() == 0);

    HttpResponse<String> late = get("/socket.io/?EIO=4&transport=polling&sid=" + sid);
    assertThat(late.statusCode()).isEqualTo(400);
    assertThat(late.body()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
  }

  @Test
  void theHandshakeAnnouncesTheUpgradeAndTheHeartbeat() throws Exception {
    startServer(Duration.ofMillis(1500), Duration.ofMillis(700));
    HttpResponse<String> handshake = get("/socket.io/?EIO=4&transport=polling&t=abc");

    assertThat(handshake.statusCode()).isEqualTo(200);
    assertThat(handshake.body()).startsWith("0{");
    JSONObject open = new JSONObject(handshake.body().substring(1));
    assertThat(open.getString("sid")).hasSize(20);
    assertThat(open.getJSONArray("upgrades").toString()).isEqualTo("[\"websocket\"]");
    assertThat(open.getLong("pingInterval")).isEqualTo(1500);
    assertThat(open.getLong("pingTimeout")).isEqualTo(700);
    assertThat(open.getLong("maxPayload")).isEqualTo(1_000_000);
  }

  @Test
  void aPolledSessionConnectsANamespaceAndAcksAnEventOverRawHttp() throws Exception {
    startServer(Duration.ofSeconds(20), Duration.ofSeconds(10));
    String sid = new JSONObject(get("/socket.io/?EIO=4&transport=polling").body().substring(1))
        .getString("sid");
    String session = "/socket.io/?EIO=4&transport=polling&sid=" + sid;

    assertThat(post(session, "40{\"token\":\"x\"}\u001e42/nowhere,[\"e\"]\u001e4217[\"e\",1]").body())
        .isEqualTo("ok");
    String[] packets = get(session).body().split("\u001e");

    assertThat(packets).hasSize(2);
    assertThat(packets[0]).startsWith("40{\"sid\":\"");
    assertThat(packets[1]).isEqualTo("4317[{\"ok\":true}]");
  }

  @Test
  void protocolErrorsGetEngineIoCodes() throws Exception {
    startServer(Duration.ofSeconds(20), Duration.ofSeconds(10));

    assertError(get("/socket.io/?EIO=3&transport=polling"),
        "{\"code\":5,\"message\":\"Unsupported protocol version\"}");
    assertError(get("/socket.io/?transport=polling"),
        "{\"code\":5,\"message\":\"Unsupported protocol version\"}");
    assertError(get("/socket.io/?EIO=4&transport=flash"),
        "{\"code\":0,\"message\":\"Transport unknown\"}");
    assertError(get("/socket.io/?EIO=4&transport=polling&sid=nope"),
        "{\"code\":1,\"message\":\"Session ID unknown\"}");
    assertError(get("/socket.io/?EIO=4&transport=websocket&sid=nope"),
        "{\"code\":1,\"message\":\"Session ID unknown\"}");
  }

  @Test
  void webSocketsAreNotCompressedAsEngineIoDoesNotCompressThemByDefault() throws Exception {
    startServer(Duration.ofSeconds(20), Duration.ofSeconds(10));
    // By hand: java.net.http does not let a client offer an extension.
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.getOutputStream().write(("GET " + DemoSocketIoServer.PATH + "?EIO=4&transport=websocket HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      List<String> head = new ArrayList<>();
      for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
        head.add(line.toLowerCase(Locale.ROOT));
      }
      assertThat(head.get(0)).startsWith("http/1.1 101");
      assertThat(head).noneMatch(h -> h.startsWith("sec-websocket-extensions"));
    }
  }

  private static void assertError(HttpResponse<String> response, String body) {
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo(body);
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String pathAndQuery, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url + pathAndQuery))
            .header("Content-Type", "text/plain;charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
