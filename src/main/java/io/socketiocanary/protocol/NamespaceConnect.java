package io.socketiocanary.protocol;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Joining a Socket.IO namespace, as Engine.IO message text: the client's CONNECT
 * ({@code 40[/ns,][{"token":…}]}) and the server's answer, CONNECT ({@code 40[/ns,]{"sid":…}}) or
 * CONNECT_ERROR ({@code 44[/ns,]{"message":…}}).
 */
public final class NamespaceConnect {
  private NamespaceConnect() {}

  /** A server's answer to a namespace CONNECT. */
  public record Reply(boolean connected, String namespace, JsonObject data) {
    public String message() {
      return data == null ? "" : data.getString("message", "");
    }
  }

  /** The CONNECT packet for {@code namespace}, with {@code {"token":…}} when a token is given. */
  public static String request(String namespace, String token) {
    return requestWithAuth(namespace, token == null ? null : new JsonObject().put("token", token));
  }

  /** The CONNECT packet for {@code namespace} with {@code auth} as its payload (none when null). */
  public static String requestWithAuth(String namespace, JsonObject auth) {
    String payload = auth == null ? "" : auth.encode();
    return EnginePacket.message(new SocketIoPacket(SocketIoPacket.Type.CONNECT, namespace, -1, payload).encode())
        .encode();
  }

  /** A CONNECT (40) or CONNECT_ERROR (44) packet, if {@code packet} is one. */
  public static Optional<Reply> parseReply(String packet) {
    if (packet == null || !(packet.startsWith("40") || packet.startsWith("44"))) {
      return Optional.empty();
    }
    SocketIoPacket decoded = SocketIoPacket.decode(packet.substring(1));
    String rest = decoded.ackId() < 0 ? decoded.json() : decoded.ackId() + decoded.json();
    JsonObject data = null;
    if (!rest.isEmpty()) {
      try {
        data = new JsonObject(rest);
      } catch (DecodeException | ClassCastException e) {
        // Not the object the protocol asks for: keep the text as the message a person will read.
        data = new JsonObject().put("message", rest);
      }
    }
    return Optional.of(new Reply(decoded.type() == SocketIoPacket.Type.CONNECT, decoded.namespace(), data));
  }
}
