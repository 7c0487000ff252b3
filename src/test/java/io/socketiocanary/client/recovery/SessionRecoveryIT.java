package io.socketiocanary.client.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socketiocanary.client.recovery.RecoveryOutcome.Result;
import io.socketiocanary.config.RecoveryMode;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * The tripwire for {@link SessionRecovery}'s use of the Java client: the Manager's packet events
 * reach it before the Socket, and the Socket serializes the auth map it was given, by reference,
 * on every CONNECT. If a client upgrade changes either, the real Node server stops recovering and
 * this fails.
 */
class SessionRecoveryIT {

  @Test
  void aCutConnectionComesBackAsTheSameSessionWithTheMissedEventsReplayed() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().recovery(Duration.ofSeconds(30), true)
        .broadcast("tick", Duration.ZERO).start()) {
      List<RecoveryOutcome> outcomes = new CopyOnWriteArrayList<>();
      List<String> ticks = new CopyOnWriteArrayList<>();
      List<String> ids = new CopyOnWriteArrayList<>();
      Map<String, String> auth = new ConcurrentHashMap<>();
      IO.Options options = new IO.Options();
      options.forceNew = true;
      options.transports = new String[] {"websocket"};
      options.reconnectionDelay = 200;
      options.reconnectionDelayMax = 500;
      options.auth = auth;
      Manager manager = new Manager(URI.create(server.url()), options);
      Socket socket = manager.socket("/", options);
      SessionRecovery recovery = new SessionRecovery("/", RecoveryMode.AUTO, auth, "tick",
          (args, replayed) -> ticks.add(((JSONObject) args.opt(0)).optLong("seq") + (replayed ? "r" : "")));
      recovery.install(manager);
      socket.on(Socket.EVENT_CONNECT, args -> {
        outcomes.add(recovery.takeOutcome());
        ids.add(socket.id());
      });
      socket.connect();
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 1);
        server.broadcast(1, 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> ticks.size() == 2);

        server.closeAllTcp();
        server.broadcast(3, 2); // while the client is away: kept for it by the server
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 2);
        server.broadcast(5, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> ticks.size() == 5);

        assertThat(outcomes).containsExactly(new RecoveryOutcome(true, Result.FIRST, false),
            new RecoveryOutcome(true, Result.RECOVERED, true));
        assertThat(ids.get(1)).isEqualTo(ids.get(0));
        assertThat(ticks).containsExactly("1", "2", "3r", "4r", "5");
        assertThat(server.process().lines()).anyMatch(l -> l.contains("recovered=true"));
      } finally {
        socket.disconnect();
        manager.off();
      }
    }
  }
}
