package io.socketiocanary.diagnose;

import io.socketiocanary.protocol.EngineIoErrorBody;
import io.socketiocanary.protocol.OpenPacket;
import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * 4. A direct WebSocket handshake, {@code GET {path}/?EIO=4&transport=websocket}: the 101 and the
 * open packet, or the status and body the server or proxy answered instead. Engine.IO answers a
 * WebSocket GET without an Upgrade header with 400 {@code {"code":3}}: behind a proxy, that is the
 * proxy not forwarding Upgrade/Connection.
 */
final class WebSocketCheck implements Check {
  static final String NAME = "websocket";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<CheckResult> run(DiagnosisContext ctx) {
    String uri = ctx.endpoint("websocket");
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("request", "GET " + uri);
    long timeout = ctx.options.timeout().toMillis();
    return ctx.probe.websocket(uri, Map.of())
        .compose(ws -> {
          EngineSocket socket = new EngineSocket(ctx.vertx, ws);
          details.put("status", 101);
          return socket.next(timeout).eventually(() -> {
            socket.close();
            return Future.succeededFuture();
          });
        })
        .map(packet -> opened(ctx, packet, details))
        .recover(e -> Future.succeededFuture(failed(ctx, e, details)));
  }

  private CheckResult opened(DiagnosisContext ctx, String packet, Map<String, Object> details) {
    Optional<OpenPacket> open = OpenPacket.parse(packet);
    if (open.isEmpty()) {
      ctx.websocketFailure = "no open packet";
      details.put("firstPacket", packet);
      return CheckResult.fail(NAME, "101, but the first packet is not an Engine.IO open packet: " + packet, details,
          "something other than a Socket.IO v4 server answers WebSocket requests at this path");
    }
    ctx.websocketWorks = true;
    ctx.learnPings(open.get().pingInterval(), open.get().pingTimeout());
    details.put("pingInterval", open.get().pingInterval());
    details.put("pingTimeout", open.get().pingTimeout());
    return CheckResult.pass(NAME, "101 Switching Protocols, open packet received", details);
  }

  private CheckResult failed(DiagnosisContext ctx, Throwable e, Map<String, Object> details) {
    if (!(e instanceof UpgradeRejectedException rejected)) {
      ctx.websocketFailure = String.valueOf(e.getMessage());
      details.put("error", ctx.websocketFailure);
      String seen = "WebSocket failed: " + e.getMessage();
      if (ctx.pathNotFound) {
        // Node servers (engine.io attached to an http or express server) do not answer an upgrade
        // on a path that is not theirs: engine.io destroys the socket after a second, no 404.
        return CheckResult.fail(NAME, seen + wrongPath(ctx), details, Fixes.PATH);
      }
      return CheckResult.fail(NAME, seen, details, Fixes.PROXY_UPGRADE);
    }
    int status = rejected.getStatus();
    String body = rejected.getBody() == null ? "" : rejected.getBody().toString();
    HttpAnswer answer = new HttpAnswer(status, rejected.getHeaders(), body, 0);
    details.put("status", status);
    details.put("body", answer.bodyExcerpt());
    var error = answer.engineIoError();
    int code = error.map(EngineIoErrorBody::code).orElse(-1);
    String seen = "HTTP " + status + (body.isBlank() ? "" : " " + answer.bodyExcerpt()) + " instead of 101";
    ctx.websocketFailure = seen;
    if (code == 3) {
      return CheckResult.fail(NAME, seen + ": the server saw no Upgrade header, so the proxy did not forward "
          + "Upgrade/Connection", details, Fixes.PROXY_UPGRADE);
    }
    if (code == 0) {
      return CheckResult.fail(NAME, seen + ": the server does not accept WebSocket", details,
          Fixes.WEBSOCKET_DISABLED);
    }
    if (status == 404) {
      return CheckResult.fail(NAME, seen + " (wrong --path?)", details, Fixes.PATH);
    }
    if (ctx.pathNotFound) {
      return CheckResult.fail(NAME, seen + wrongPath(ctx), details, Fixes.PATH);
    }
    return CheckResult.fail(NAME, seen, details, Fixes.PROXY_UPGRADE);
  }

  private static String wrongPath(DiagnosisContext ctx) {
    return ": the polling handshake found nothing at " + ctx.options.path() + " either (wrong --path?)";
  }
}
