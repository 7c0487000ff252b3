package io.socketiocanary.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Every case of socket.io's Socket.IO conformance suite (socketio/socket.io-protocol,
 * {@code test-suite/test-suite.js}): its Engine.IO part (handshake, heartbeat, close, upgrade) and
 * connect, disconnect and message, against the embedded server set up as socket.io's reference
 * server: auth echoed on connect, a {@code /custom} namespace, "message" echoed as
 * "message-back", "message-with-ack" acknowledged with its arguments, connect timeout 1 s.
 */
class SocketIoConformanceTest extends EngineIoConformanceCases {
  private static final String PLACEHOLDERS = "{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}";

  @Override
  ConformanceServer.Setup setup() {
    return ConformanceServer.Setup.SOCKET_IO;
  }

  @Override
  void assertCarriesMessages(RawWebSocket upgraded) throws Exception {
    upgraded.send("40");
    assertThat(upgraded.nextText()).startsWith("40{");
  }

  /** An Engine.IO WebSocket session whose main namespace is connected, its auth packet read. */
  private RawWebSocket connected() throws Exception {
    RawWebSocket socket = webSocket(true);
    socket.next(); // the Engine.IO open packet
    socket.send("40");
    socket.nextText(); // the Socket.IO handshake
    socket.nextText(); // the auth packet
    return socket;
  }

  private void assertConnects(String connect, String namespacePrefix, String auth) throws Exception {
    RawWebSocket socket = webSocket(true);
    socket.next(); // the Engine.IO open packet

    socket.send(connect);

    String handshake = socket.nextText();
    assertThat(handshake).startsWith("40" + namespacePrefix);
    JsonObject data = new JsonObject(handshake.substring(2 + namespacePrefix.length()));
    assertThat(data.fieldNames()).containsExactly("sid");
    assertThat(data.getValue("sid")).isInstanceOf(String.class);
    assertThat(socket.nextText()).isEqualTo("42" + namespacePrefix + "[\"auth\"," + auth + "]");
  }

  /** The suite's two attachments, [1, 2, 3] and [4, 5, 6], after the packet that announces them. */
  private static void sendWithTheAttachments(RawWebSocket socket, String packet) {
    socket.send(packet);
    socket.send(new byte[] {1, 2, 3});
    socket.send(new byte[] {4, 5, 6});
  }

  private static void assertAnsweredWithTheAttachments(RawWebSocket socket, String packet) throws Exception {
    assertThat(socket.nextPacket()).isEqualTo(packet);
    assertThat(socket.nextPacket()).isEqualTo(new byte[] {1, 2, 3});
    assertThat(socket.nextPacket()).isEqualTo(new byte[] {4, 5, 6});
  }

  // --- connect ---

  @Test
  void theMainNamespaceConnectsAndItsAuthIsEmpty() throws Exception {
    assertConnects("40", "", "{}");
  }

  @Test
  void theMainNamespaceConnectsWithTheAuthPayloadSent() throws Exception {
    assertConnects("40{\"token\":\"123\"}", "", "{\"token\":\"123\"}");
  }

  @Test
  void aCustomNamespaceConnects() throws Exception {
    assertConnects("40/custom,", "/custom,", "{}");
  }

  @Test
  void aCustomNamespaceConnectsWithTheAuthPayloadSent() throws Exception {
    assertConnects("40/custom,{\"token\":\"abc\"}", "/custom,", "{\"token\":\"abc\"}");
  }

  @Test
  void anUnknownNamespaceIsRefusedWithAConnectError() throws Exception {
    RawWebSocket socket = webSocket(true);
    socket.next();

    socket.send("40/random");

    assertThat(socket.nextText()).isEqualTo("44/random,{\"message\":\"Invalid namespace\"}");
  }

  @Test
  void anInvalidHandshakeClosesTheConnection() throws Exception {
    RawWebSocket socket = webSocket(true);
    socket.next();

    socket.send("4abc");

    socket.awaitClose();
  }

  @Test
  void aSessionThatJoinsNoNamespaceIsClosedAfterTheConnectTimeout() throws Exception {
    // Pongs are answered, so the heartbeat cannot be what closes it.
    RawWebSocket socket = webSocket(true);

    socket.awaitClose();
    await().atMost(RawWebSocket.WAIT).until(() -> server.sessionCount() == 0);
  }

  // --- disconnect ---

  @Test
  void disconnectingFromTheMainNamespaceGetsNoAnswer() throws Exception {
    RawWebSocket socket = connected();

    socket.send("41");

    assertThat(socket.next()).as("the next frame is the heartbeat's").isEqualTo("2");
  }

  @Test
  void aCustomNamespaceConnectsAndDisconnectsWhileTheMainOneStaysConnected() throws Exception {
    RawWebSocket socket = connected();
    socket.send("40/custom");
    socket.nextText(); // the Socket.IO handshake
    socket.nextText(); // the auth packet

    socket.send("41/custom");
    socket.send("42[\"message\",\"message to main namespace\"]");

    assertThat(socket.nextText()).isEqualTo("42[\"message-back\",\"message to main namespace\"]");
  }

  // --- message ---

  @Test
  void aTextEventIsEmittedBack() throws Exception {
    RawWebSocket socket = connected();

    socket.send("42[\"message\",1,\"2\",{\"3\":[true]}]");

    assertThat(socket.nextText()).isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
  }

  @Test
  void anEventWithBinaryAttachmentsIsEmittedBackWithThem() throws Exception {
    RawWebSocket socket = connected();

    sendWithTheAttachments(socket, "452-[\"message\"," + PLACEHOLDERS + "]");

    assertAnsweredWithTheAttachments(socket, "452-[\"message-back\"," + PLACEHOLDERS + "]");
  }

  @Test
  void aTextEventWithAnAckIdIsAcknowledgedWithItsArguments() throws Exception {
    RawWebSocket socket = connected();

    socket.send("42456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");

    assertThat(socket.nextText()).isEqualTo("43456[1,\"2\",{\"3\":[false]}]");
  }

  @Test
  void anEventWithBinaryAttachmentsAndAnAckIdIsAcknowledgedWithThem() throws Exception {
    RawWebSocket socket = connected();

    sendWithTheAttachments(socket, "452-789[\"message-with-ack\"," + PLACEHOLDERS + "]");

    assertAnsweredWithTheAttachments(socket, "462-789[" + PLACEHOLDERS + "]");
  }

  @Test
  void anUnknownPacketTypeClosesTheConnection() throws Exception {
    RawWebSocket socket = connected();

    socket.send("4abc");

    socket.awaitClose();
  }

  @Test
  void anEventThatIsNotAnArrayClosesTheConnection() throws Exception {
    RawWebSocket socket = connected();

    socket.send("42{}");

    socket.awaitClose();
  }

  @Test
  void anInvalidAckIdClosesTheConnection() throws Exception {
    RawWebSocket socket = connected();

    socket.send("42abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");

    socket.awaitClose();
  }
}
