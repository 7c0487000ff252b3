package io.socketiocanary.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every case of socket.io's Engine.IO conformance suite (socketio/engine.io-protocol,
 * {@code test-suite/test-suite.js}: handshake, message, heartbeat, close, upgrade) against the
 * embedded server set up as engine.io's reference server: messages are echoed.
 */
class EngineIoConformanceTest extends EngineIoConformanceCases {

  @Override
  ConformanceServer.Setup setup() {
    return ConformanceServer.Setup.ENGINE_IO;
  }

  @Override
  void assertCarriesMessages(RawWebSocket upgraded) throws Exception {
    upgraded.send("4hello");
    assertThat(upgraded.nextPacket()).isEqualTo("4hello");
  }

  // --- message, HTTP long-polling ---

  @Test
  @Heartbeat(intervalMs = Heartbeat.OUT_OF_THE_WAY, timeoutMs = Heartbeat.OUT_OF_THE_WAY)
  void aPostedTextPacketComesBackInTheNextPoll() throws Exception {
    assertEchoedOverPolling("4hello");
  }

  @Test
  @Heartbeat(intervalMs = Heartbeat.OUT_OF_THE_WAY, timeoutMs = Heartbeat.OUT_OF_THE_WAY)
  void severalPostedTextPacketsComeBackInOnePoll() throws Exception {
    assertEchoedOverPolling("4test1\u001e4test2\u001e4test3");
  }

  @Test
  @Heartbeat(intervalMs = Heartbeat.OUT_OF_THE_WAY, timeoutMs = Heartbeat.OUT_OF_THE_WAY)
  void aBinaryPacketInAPayloadComesBackAsBase64() throws Exception {
    assertEchoedOverPolling("4hello\u001ebAQIDBA==");
  }

  private void assertEchoedOverPolling(String payload) throws Exception {
    String sid = openPollingSession();

    HttpResponse<String> push = post(polling(sid), payload);
    assertThat(push.statusCode()).isEqualTo(200);
    assertThat(push.body()).isEqualTo("ok");

    HttpResponse<String> poll = get(polling(sid));
    assertThat(poll.statusCode()).isEqualTo(200);
    assertThat(poll.body()).isEqualTo(payload);
  }

  @Test
  @Heartbeat(intervalMs = Heartbeat.OUT_OF_THE_WAY, timeoutMs = Heartbeat.OUT_OF_THE_WAY)
  void aMalformedPayloadIsRefusedWith400AndClosesTheSession() throws Exception {
    String sid = openPollingSession();

    assertThat(post(polling(sid), "abc").statusCode()).isEqualTo(400);

    assertThat(get(polling(sid)).statusCode()).isEqualTo(400);
  }

  @Test
  @Heartbeat(intervalMs = Heartbeat.OUT_OF_THE_WAY, timeoutMs = Heartbeat.OUT_OF_THE_WAY)
  void aSecondPollWhileOneIsHeldIsRefusedAndClosesTheSession() throws Exception {
    String sid = openPollingSession();
    CompletableFuture<HttpResponse<String>> first = getAsync(polling(sid));
    await().atMost(RawWebSocket.WAIT).until(() -> server.holdsPoll(sid));

    HttpResponse<String> second = get(polling(sid) + "&t=burst");

    // engine.io answers 500; the suite takes 400 too, which is what this server sends.
    assertThat(second.statusCode()).isEqualTo(400);
    HttpResponse<String> held = first.get(RawWebSocket.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(held.statusCode()).isEqualTo(200);
    assertThat(held.body()).isEqualTo("1");
    assertThat(get(polling(sid)).statusCode()).isEqualTo(400);
  }

  // --- message, WebSocket ---

  @Test
  void aTextFrameComesBack() throws Exception {
    RawWebSocket socket = webSocket(true);
    socket.next(); // the open packet

    socket.send("4hello");

    assertThat(socket.nextPacket()).isEqualTo("4hello");
  }

  @Test
  void aBinaryFrameComesBackAsABinaryFrame() throws Exception {
    RawWebSocket socket = webSocket(true);
    socket.next(); // the open packet

    socket.send(new byte[] {1, 2, 3, 4});

    assertThat(socket.nextPacket()).isEqualTo(new byte[] {1, 2, 3, 4});
  }

  @Test
  void aMalformedFrameClosesTheConnection() throws Exception {
    RawWebSocket socket = webSocket(true);
    socket.next(); // the open packet

    socket.send("abc");

    socket.awaitClose();
  }
}
