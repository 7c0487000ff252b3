package io.socketiocanary.client.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.emitter.Emitter;
import io.socket.engineio.client.Transport;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * The tripwire for {@link CompactEmitterMaps} in the client's own flow: a connection whose every
 * emitter (Manager, Socket, each attempt's engine and transports) holds the small map, installed
 * where {@code CanaryConnection} installs it, still handshakes, upgrades from polling to
 * WebSocket, answers the server's pings, acks, and reconnects after a cut, against the Node server.
 */
class CompactEmitterMapsIT {

  @Test
  void aWholeConnectionRunsOnTheSmallMaps() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder()
        .pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofSeconds(1)).start()) {
      IO.Options options = new IO.Options();
      options.forceNew = true;
      options.transports = new String[] {"polling", "websocket"};
      options.reconnectionDelay = 100;
      options.reconnectionDelayMax = 200;
      Manager manager = new Manager(URI.create(server.url()), options);
      Socket socket = manager.socket("/", options);
      List<Emitter> compacted = new CopyOnWriteArrayList<>(List.of(manager, socket));
      assertThat(CompactEmitterMaps.install(manager)).isTrue();
      assertThat(CompactEmitterMaps.install(socket)).isTrue();
      List<String> upgradedTo = new CopyOnWriteArrayList<>();
      List<String> disconnects = new CopyOnWriteArrayList<>();
      List<String> connects = new CopyOnWriteArrayList<>();
      manager.on(Manager.EVENT_TRANSPORT, args -> {
        Transport transport = (Transport) args[0];
        io.socket.engineio.client.Socket engine = ManagerEngine.of(manager);
        assertThat(CompactEmitterMaps.install(transport)).isTrue();
        compacted.add(transport);
        if (!compacted.contains(engine)) {
          assertThat(CompactEmitterMaps.install(engine)).isTrue();
          compacted.add(engine);
          engine.on(io.socket.engineio.client.Socket.EVENT_UPGRADE, up -> upgradedTo.add(((Transport) up[0]).name));
        }
      });
      socket.on(Socket.EVENT_CONNECT, args -> connects.add(socket.id()));
      socket.on(Socket.EVENT_DISCONNECT, args -> disconnects.add(String.valueOf(args[0])));
      socket.connect();
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> connects.size() == 1 && upgradedTo.size() == 1);
        assertThat(upgradedTo).containsExactly("websocket");

        // Eight ping cycles: a pong missed would have closed the connection within 1.3 s (the
        // timeout leaves a busy machine a second to answer).
        await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(disconnects).isEmpty();
        List<Object> acks = new CopyOnWriteArrayList<>();
        socket.emit("probe", new Object[] {new JSONObject()}, (Ack) args -> acks.add(args[0]));
        await().atMost(Duration.ofSeconds(5)).until(() -> acks.size() == 1);
        assertThat(acks.get(0).toString()).contains("\"ok\":true");

        server.closeAllTcp();
        await().atMost(Duration.ofSeconds(10)).until(() -> connects.size() == 2 && upgradedTo.size() == 2);
        // A cut without a close frame: `transport error` in the Java client (docs/java-client-notes.md).
        assertThat(disconnects).containsExactly("transport error");
        // Manager, Socket, and per attempt an engine, its polling transport and the WebSocket probe.
        assertThat(compacted).hasSize(8).allSatisfy(e -> assertThat(CompactEmitterMaps.installed(e)).isTrue());
      } finally {
        socket.disconnect();
        manager.off();
      }
    }
  }
}
