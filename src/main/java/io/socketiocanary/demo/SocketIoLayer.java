package io.socketiocanary.demo;

import io.socketiocanary.protocol.EnginePacket;
import io.socketiocanary.protocol.SocketIoPacket;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Socket.IO v5 layer of the demo server: namespace CONNECT/DISCONNECT, events with their
 * binary attachments, and what each namespace does with them ({@link Namespace}). The demo's own
 * namespaces acknowledge every event with {@code [{"ok":true}]}, which is what the canary's
 * liveness probe needs. A session that joins no namespace within the connect timeout is closed,
 * as socket.io does.
 *
 * <p>Not thread-safe: confined to the demo server's Vert.x context.
 */
final class SocketIoLayer implements DemoSocketIoServer.Application {

  private static final String ACK_PAYLOAD = "[{\"ok\":true}]";

  /** What a namespace does with its sockets. */
  interface Namespace {
    /** A socket joined; {@code auth} is the CONNECT payload, empty when there was none. */
    default void onConnect(Socket socket, JsonObject auth) {}

    void onEvent(Socket socket, Event event);
  }

  /**
   * An event: its arguments, name first, with binary arguments as placeholders
   * ({@code {"_placeholder":true,"num":i}}) for {@code attachments[i]}.
   */
  record Event(JsonArray args, List<Buffer> attachments, long ackId) {
    String name() {
      return args.getString(0);
    }

    /** The arguments after the name. */
    JsonArray data() {
      return new JsonArray(args.getList().subList(1, args.size()));
    }
  }

  /** One socket of a session in one namespace, as a {@link Namespace} sees it. */
  record Socket(EngineSession session, String namespace, String id) {
    /** Sends an event: {@code args} is the name and data, placeholders for the attachments. */
    void emit(JsonArray args, List<Buffer> attachments) {
      send(session, new SocketIoPacket(attachments.isEmpty() ? SocketIoPacket.Type.EVENT : SocketIoPacket.Type.BINARY_EVENT,
          namespace, -1, args.encode(), attachments.size()), attachments);
    }

    void ack(long ackId, JsonArray args, List<Buffer> attachments) {
      send(session, new SocketIoPacket(attachments.isEmpty() ? SocketIoPacket.Type.ACK : SocketIoPacket.Type.BINARY_ACK,
          namespace, ackId, args.encode(), attachments.size()), attachments);
    }
  }

  /** One Engine.IO session's Socket.IO state. */
  private static final class Client {
    /** Connected namespaces: namespace → socket id. */
    final Map<String, String> sockets = new HashMap<>();
    final long connectTimer;
    /** A binary packet waiting for its attachments, and those received so far. */
    SocketIoPacket reconstructing;
    final List<Buffer> attachments = new ArrayList<>();

    Client(long connectTimer) {
      this.connectTimer = connectTimer;
    }
  }

  private final Vertx vertx;
  private final Map<String, Namespace> namespaces;
  private final long connectTimeoutMs;
  private final Map<String, Client> clients = new HashMap<>();

  SocketIoLayer(Vertx vertx, Map<String, Namespace> namespaces, Duration connectTimeout) {
    this.vertx = vertx;
    this.namespaces = Map.copyOf(namespaces);
    this.connectTimeoutMs = connectTimeout.toMillis();
  }

  /** The demo's namespaces: each acknowledges every event that asks for it. */
  static Map<String, Namespace> acknowledgingEvents(Set<String> names) {
    Map<String, Namespace> namespaces = new HashMap<>();
    Namespace acknowledging = (socket, event) -> {
      if (event.ackId() >= 0) {
        socket.ack(event.ackId(), new JsonArray(ACK_PAYLOAD), List.of());
      }
    };
    names.forEach(name -> namespaces.put(name, acknowledging));
    return namespaces;
  }

  @Override
  public void onOpen(EngineSession session) {
    long timer = vertx.setTimer(connectTimeoutMs, id -> {
      Client client = clients.get(session.id());
      if (client != null && client.sockets.isEmpty()) {
        session.close("connect timeout");
      }
    });
    clients.put(session.id(), new Client(timer));
  }

  @Override
  public void onMessage(EngineSession session, EnginePacket message) {
    Client client = clients.get(session.id());
    if (client == null) {
      return;
    }
    try {
      if (message.isBinary()) {
        onAttachment(session, client, message.binary());
      } else if (client.reconstructing != null) {
        throw new IllegalArgumentException("a text packet while attachments were due");
      } else {
        SocketIoPacket packet = SocketIoPacket.decode(message.data());
        validate(packet);
        if (packet.attachments() > 0) {
          client.reconstructing = packet;
        } else {
          dispatch(session, client, packet, List.of());
        }
      }
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      // socket.io closes the connection on a packet it cannot parse; so does the demo.
      session.close("parse error");
    }
  }

  private void onAttachment(EngineSession session, Client client, Buffer bytes) {
    if (client.reconstructing == null) {
      throw new IllegalArgumentException("a binary message without a packet that announced it");
    }
    client.attachments.add(bytes);
    if (client.attachments.size() == client.reconstructing.attachments()) {
      SocketIoPacket packet = client.reconstructing;
      List<Buffer> attachments = List.copyOf(client.attachments);
      client.reconstructing = null;
      client.attachments.clear();
      dispatch(session, client, packet, attachments);
    }
  }

  private void dispatch(EngineSession session, Client client, SocketIoPacket packet, List<Buffer> attachments) {
    String nsp = packet.namespace();
    switch (packet.type()) {
      case CONNECT -> connect(session, client, nsp, packet.json());
      case DISCONNECT -> client.sockets.remove(nsp);
      case EVENT, BINARY_EVENT -> {
        String sid = client.sockets.get(nsp);
        if (sid != null) {
          Socket socket = new Socket(session, nsp, sid);
          namespaces.get(nsp).onEvent(socket, new Event(new JsonArray(packet.json()), attachments, packet.ackId()));
        }
      }
      default -> {
        // ACKs from the client answer nothing the demo asked for.
      }
    }
  }

  private void connect(EngineSession session, Client client, String nsp, String auth) {
    Namespace namespace = namespaces.get(nsp);
    if (namespace == null) {
      reply(session, new SocketIoPacket(SocketIoPacket.Type.CONNECT_ERROR, nsp, -1,
          new JsonObject().put("message", "Invalid namespace").encode()));
      return;
    }
    String sid = client.sockets.computeIfAbsent(nsp, k -> Ids.next());
    reply(session, new SocketIoPacket(SocketIoPacket.Type.CONNECT, nsp, -1, new JsonObject().put("sid", sid).encode()));
    namespace.onConnect(new Socket(session, nsp, sid), auth.isEmpty() ? new JsonObject() : new JsonObject(auth));
  }

  @Override
  public void onClose(EngineSession session, String reason) {
    Client client = clients.remove(session.id());
    if (client != null) {
      vertx.cancelTimer(client.connectTimer);
    }
  }

  private static void reply(EngineSession session, SocketIoPacket packet) {
    send(session, packet, List.of());
  }

  private static void send(EngineSession session, SocketIoPacket packet, List<Buffer> attachments) {
    session.send(EnginePacket.message(packet.encode()));
    attachments.forEach(bytes -> session.send(EnginePacket.binaryMessage(bytes)));
  }

  private static void validate(SocketIoPacket packet) {
    String json = packet.json();
    switch (packet.type()) {
      case CONNECT -> {
        if (!json.isEmpty()) {
          new JsonObject(json);
        }
      }
      case EVENT, BINARY_EVENT, ACK, BINARY_ACK -> {
        JsonArray args = new JsonArray(json);
        boolean event = packet.type() == SocketIoPacket.Type.EVENT || packet.type() == SocketIoPacket.Type.BINARY_EVENT;
        if (event && (args.isEmpty() || !(args.getValue(0) instanceof String))) {
          throw new IllegalArgumentException("event without a name");
        }
      }
      default -> {
      }
    }
  }
}
