package io.socketiocanary.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.diagnose.DiagnoseCli.Outcome;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a real Socket.IO 4 server answers when the client asks for the wrong thing, seen through
 * the real {@code diagnose} command: a path it does not serve (404, the way a Node app with a
 * final 404 handler answers), and a transport the server disabled (Engine.IO error 0).
 */
class DiagnoseRefusalsIT {

  @Test
  void aWrongPathFailsTheHandshakeWith404AndTheWebSocketCheckBlamesThePathNotTheProxy() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().start()) {
      Outcome out = DiagnoseCli.run("wrong-path", server.url(), "--path", "/wrong", "--idle", "2s");
      assertThat(out.exitCode()).as(out.output()).isEqualTo(1);
      assertThat(out.json().getString("result")).isEqualTo("fail");

      assertThat(out.status("handshake")).isEqualTo("fail");
      assertThat(out.summary("handshake")).isEqualTo("HTTP 404: nothing at /wrong (wrong --path?)");
      assertThat(out.fix("handshake")).isEqualTo(Fixes.PATH);
      assertThat(out.check("handshake").getJsonObject("details").getInteger("status")).isEqualTo(404);

      // A Node server does not answer an upgrade on a foreign path with 404: engine.io destroys the
      // socket after a second. That must point at the path, as the handshake did, not at a proxy.
      assertThat(out.status("websocket")).isEqualTo("fail");
      assertThat(out.summary("websocket")).isEqualTo("WebSocket failed: Connection closed while handshake in process: "
          + "the polling handshake found nothing at /wrong either (wrong --path?)");
      assertThat(out.fix("websocket")).isEqualTo(Fixes.PATH);

      assertThat(out.summary("upgrade")).isEqualTo("the polling handshake failed");
      assertThat(out.summary("namespace")).isEqualTo("neither polling nor WebSocket connects");
      // dns, tcp, tls, handshake, cors, websocket, upgrade, sticky, namespace, recovery, idle.
      assertThat(statuses(out)).containsExactly("pass", "pass", "skip", "fail", "skip", "fail", "skip", "skip",
          "skip", "skip", "skip");
      server.process().awaitLine(Pattern.compile("404 GET /wrong/$"), Duration.ofSeconds(5));
    }
  }

  @Test
  void aWebSocketOnlyServerFailsTheHandshakeWithEngineIoError0AndTheWebSocketChecksStillPass() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().transports("websocket").start()) {
      Outcome out = DiagnoseCli.run("websocket-only", server.url(), "--idle", "2s");
      assertThat(out.exitCode()).as(out.output()).isEqualTo(1);

      assertThat(out.status("handshake")).isEqualTo("fail");
      assertThat(out.summary("handshake"))
          .isEqualTo("HTTP 400, Engine.IO error 0 (Transport unknown): Transport unknown: long-polling is not enabled");
      assertThat(out.fix("handshake")).isEqualTo(Fixes.POLLING_DISABLED);
      JsonObject details = out.check("handshake").getJsonObject("details");
      assertThat(details.getInteger("status")).isEqualTo(400);
      assertThat(details.getInteger("engineIoCode")).isZero();
      assertThat(details.getString("engineIoMessage")).isEqualTo("Transport unknown");

      assertThat(out.status("websocket")).isEqualTo("pass");
      assertThat(out.summary("upgrade")).isEqualTo("the polling handshake failed");
      assertThat(out.status("namespace")).isEqualTo("pass");
      assertThat(out.check("namespace").getJsonObject("details").getString("transport")).isEqualTo("websocket");
    }
  }

  @Test
  void aPollingOnlyServerWarnsAtTheHandshakeAndFailsTheWebSocketCheckWithEngineIoError0() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().transports("polling").start()) {
      Outcome out = DiagnoseCli.run("polling-only", server.url(), "--idle", "2s");
      assertThat(out.exitCode()).as(out.output()).isEqualTo(1);

      assertThat(out.status("handshake")).isEqualTo("warn");
      assertThat(out.summary("handshake")).endsWith("upgrades [], maxPayload 1000000: no WebSocket upgrade offered");
      assertThat(out.fix("handshake")).isEqualTo(Fixes.WEBSOCKET_DISABLED);

      assertThat(out.status("websocket")).isEqualTo("fail");
      assertThat(out.summary("websocket")).isEqualTo("HTTP 400 {\"code\":0,\"message\":\"Transport unknown\"} "
          + "instead of 101: the server does not accept WebSocket");
      assertThat(out.fix("websocket")).isEqualTo(Fixes.WEBSOCKET_DISABLED);

      assertThat(out.summary("upgrade")).isEqualTo("the server offers no WebSocket upgrade");
      assertThat(out.status("namespace")).isEqualTo("pass");
      assertThat(out.check("namespace").getJsonObject("details").getString("transport")).isEqualTo("polling");
      assertThat(out.summary("idle")).isEqualTo("WebSocket does not connect");
    }
  }

  private static List<String> statuses(Outcome out) {
    return out.json().getJsonArray("checks").stream().map(JsonObject.class::cast).map(c -> c.getString("status"))
        .toList();
  }
}
