package io.socketiocanary.diagnose;

import io.socketiocanary.protocol.EngineIoError;
import io.socketiocanary.protocol.EngineIoErrorBody;
import io.socketiocanary.protocol.EnginePacket;
import io.socketiocanary.protocol.NamespaceConnect;
import io.socketiocanary.protocol.OpenPacket;
import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 5. What browsers do: a polling session upgraded to WebSocket. Opens a session, connects the
 * WebSocket with its sid, sends {@code 2probe}, expects {@code 3probe}, sends {@code 5}, then
 * proves packets flow over the WebSocket with a namespace connect (any answer will do). A
 * refusal anywhere leaves real clients silently stuck on polling.
 */
final class UpgradeCheck implements Check {
  static final String NAME = "upgrade";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<CheckResult> run(DiagnosisContext ctx) {
    if (ctx.handshake == null) {
      return Future.succeededFuture(CheckResult.skip(NAME, "the polling handshake failed"));
    }
    if (!ctx.handshake.upgrades().contains("websocket")) {
      return Future.succeededFuture(CheckResult.skip(NAME, "the server offers no WebSocket upgrade"));
    }
    long timeout = ctx.options.timeout().toMillis();
    Map<String, Object> details = new LinkedHashMap<>();
    String[] step = {"polling handshake"};
    String[] sid = {null};
    return ctx.probe.get(ctx.endpoint("polling"))
        .compose(answer -> {
          sid[0] = OpenPacket.parse(EnginePacket.splitPayload(answer.body()).get(0))
              .orElseThrow(() -> new IllegalStateException("HTTP " + answer.status() + " " + answer.bodyExcerpt()))
              .sid();
          details.put("sid", sid[0]);
          step[0] = "WebSocket handshake with the sid";
          return ctx.probe.websocket(ctx.endpoint("websocket", sid[0]), Map.of());
        })
        .compose(ws -> {
          EngineSocket socket = new EngineSocket(ctx.vertx, ws);
          step[0] = "2probe → 3probe";
          socket.send(EnginePacket.PROBE.encode());
          return socket.next(p -> p.equals(EnginePacket.PROBE_ANSWER.encode()), timeout)
              .compose(probe -> {
                socket.send(EnginePacket.UPGRADE.encode());
                step[0] = "namespace packet over the upgraded WebSocket";
                socket.send(NamespaceConnect.request(ctx.options.namespace(), ctx.options.token()));
                return socket.next(p -> NamespaceConnect.parseReply(p).isPresent(), timeout);
              })
              .eventually(() -> {
                socket.close();
                return Future.succeededFuture();
              });
        })
        .map(reply -> CheckResult.pass(NAME, "polling session upgraded to WebSocket (2probe → 3probe, 5); "
            + "packets flow over the WebSocket", details))
        .recover(e -> {
          if (sid[0] != null) {
            ctx.closePollingSession(sid[0]);
          }
          return Future.succeededFuture(stuck(step[0], e, details));
        });
  }

  private static CheckResult stuck(String step, Throwable e, Map<String, Object> details) {
    details.put("failedStep", step);
    String seen;
    if (e instanceof UpgradeRejectedException rejected) {
      String body = rejected.getBody() == null ? "" : rejected.getBody().toString().strip();
      details.put("status", rejected.getStatus());
      details.put("body", body);
      seen = "HTTP " + rejected.getStatus() + (body.isEmpty() ? "" : " " + body);
      // Engine.IO aborts a refused upgrade with its message as plain text, not the JSON error body.
      if (body.contains(EngineIoError.UNKNOWN_SID.message())
          || EngineIoErrorBody.parse(body).map(b -> b.is(EngineIoError.UNKNOWN_SID)).orElse(false)) {
        return CheckResult.fail(NAME, "stuck on polling: the upgrade request reached a backend that does not hold "
            + "the session (" + seen + ")", details, Fixes.STICKY);
      }
    } else {
      seen = String.valueOf(e.getMessage());
      details.put("error", seen);
    }
    return CheckResult.fail(NAME, "stuck on polling: " + step + " failed: " + seen, details, Fixes.PROXY_UPGRADE);
  }
}
