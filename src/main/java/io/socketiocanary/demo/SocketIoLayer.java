package io.socketiocanary.demo;

import io.socketiocanary.protocol.EnginePacket;
import io.socketiocanary.protocol.SocketIoPacket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Socket.IO v5 layer of the demo server: namespace CONNECT/DISCONNECT and an acknowledgement
 * {@code [{"ok":true}]} for every EVENT that asks for one, which is what the canary's liveness
 * probe needs. Events themselves are not dispatched anywhere.
 *
 * <p>Not thread-safe: confined to the demo server's Vert.x context.
 */
final class SocketIoLayer {

  private static final String ACK_PAYLOAD = "[{\"ok\":true}]";

  private final Set<String> namespaces;
  /** Connected namespaces of each Engine.IO session: session id → (namespace → socket id). */
  private final Map<String, Map<String, String>> sockets = new HashMap<>();

  SocketIoLayer(Set<String> namespaces) {
    this.namespaces = Set.copyOf(namespaces);
  }

  void onMessage(EngineSession session, String data) {
    SocketIoPacket packet;
    try {
      packet = SocketIoPacket.decode(data);
      validate(packet);
    } catch (IllegalArgumentException | DecodeException e) {
      // socket.io closes the connection on a packet it cannot parse; so does the demo.
      session.close("parse error");
      return;
    }
    Map<String, String> connected = sockets.computeIfAbsent(session.id(), k -> new HashMap<>());
    String nsp = packet.namespace();
    switch (packet.type()) {
      case CONNECT -> {
        if (!namespaces.contains(nsp)) {
          reply(session, SocketIoPacket.Type.CONNECT_ERROR, nsp, -1,
              "{\"message\":\"Invalid namespace\"}");
          return;
        }
        String sid = connected.computeIfAbsent(nsp, k -> Ids.next());
        reply(session, SocketIoPacket.Type.CONNECT, nsp, -1, "{\"sid\":\"" + sid + "\"}");
      }
      case DISCONNECT -> connected.remove(nsp);
      case EVENT -> {
        if (connected.containsKey(nsp) && packet.ackId() >= 0) {
          reply(session, SocketIoPacket.Type.ACK, nsp, packet.ackId(), ACK_PAYLOAD);
        }
      }
      default -> {
        // ACKs from the client answer nothing the demo sent; binary packets are not supported.
      }
    }
  }

  void onClose(EngineSession session) {
    sockets.remove(session.id());
  }

  private static void reply(
      EngineSession session, SocketIoPacket.Type type, String nsp, long ackId, String json) {
    session.send(EnginePacket.message(new SocketIoPacket(type, nsp, ackId, json).encode()));
  }

  private static void validate(SocketIoPacket packet) {
    String json = packet.json();
    switch (packet.type()) {
      case CONNECT -> {
        if (!json.isEmpty()) {
          new JsonObject(json);
        }
      }
      case EVENT, ACK -> {
        JsonArray args = new JsonArray(json);
        if (packet.type() == SocketIoPacket.Type.EVENT
            && (args.isEmpty() || !(args.getValue(0) instanceof String))) {
          throw new IllegalArgumentException("event without a name");
        }
      }
      default -> {
      }
    }
  }
}
