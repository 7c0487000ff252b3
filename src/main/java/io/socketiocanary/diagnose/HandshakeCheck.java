package io.socketiocanary.diagnose;

import io.socketiocanary.protocol.EngineIoErrorBody;
import io.socketiocanary.protocol.EnginePacket;
import io.socketiocanary.protocol.OpenPacket;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * 2. The Engine.IO v4 polling handshake, {@code GET {path}/?EIO=4&transport=polling}. When it
 * yields no open packet, asks with {@code EIO=3} too: a server that answers that one is a
 * Socket.IO v2 server, which a v4 client cannot talk to.
 */
final class HandshakeCheck implements Check {
  static final String NAME = "handshake";
  static final String MISMATCH = "server speaks Engine.IO 3 (Socket.IO v2); client v4 cannot connect";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<CheckResult> run(DiagnosisContext ctx) {
    String uri = ctx.endpoint("polling");
    return ctx.probe.get(uri)
        .compose(answer -> judge(ctx, uri, answer))
        .recover(e -> Future.succeededFuture(failed(ctx, "no answer to GET " + uri + ": " + e.getMessage(),
            Map.of("request", "GET " + uri, "error", String.valueOf(e.getMessage())),
            "the server or proxy accepted the connection but did not answer within "
                + ctx.options.timeout().toSeconds() + " s: check --path and the upstream's health")));
  }

  private Future<CheckResult> judge(DiagnosisContext ctx, String uri, HttpAnswer answer) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("request", "GET " + uri);
    details.put("status", answer.status());
    details.put("millis", answer.millis());
    String server = answer.headers().get("Server");
    if (server != null) {
      details.put("server", server);
    }
    List<String> packets = EnginePacket.splitPayload(answer.body());
    Optional<OpenPacket> open = answer.status() == 200 && !packets.isEmpty()
        ? OpenPacket.parse(packets.get(0)) : Optional.empty();
    if (open.isPresent()) {
      return Future.succeededFuture(opened(ctx, open.get(), details));
    }
    details.put("body", answer.bodyExcerpt());
    if (answer.status() == 200 && EnginePacket.looksLikeEngineIo3(answer.body())) {
      return Future.succeededFuture(mismatch(ctx, details));
    }
    return ctx.probe.get(ctx.options.endpoint("EIO=3&transport=polling"))
        .map(v3 -> v3.status() == 200 && (EnginePacket.looksLikeEngineIo3(v3.body())
            || OpenPacket.parse(v3.body()).isPresent()))
        .otherwise(false)
        .map(speaksV3 -> speaksV3 ? mismatch(ctx, details) : refused(ctx, answer, details));
  }

  private CheckResult opened(DiagnosisContext ctx, OpenPacket open, Map<String, Object> details) {
    ctx.handshake = open;
    ctx.learnPings(open.pingInterval(), open.pingTimeout());
    details.put("sid", open.sid());
    details.put("pingInterval", open.pingInterval());
    details.put("pingTimeout", open.pingTimeout());
    details.put("upgrades", open.upgrades());
    details.put("maxPayload", open.maxPayload());
    // This session is only a look: close it rather than leave it to the server's ping timeout.
    ctx.closePollingSession(open.sid());
    String summary = "200, sid " + open.sid() + ", pingInterval " + open.pingInterval() + " ms, pingTimeout "
        + open.pingTimeout() + " ms, upgrades " + open.upgrades() + ", maxPayload " + open.maxPayload();
    if (!open.upgrades().contains("websocket")) {
      return CheckResult.warn(NAME, summary + ": no WebSocket upgrade offered", details, Fixes.WEBSOCKET_DISABLED);
    }
    return CheckResult.pass(NAME, summary, details);
  }

  private CheckResult mismatch(DiagnosisContext ctx, Map<String, Object> details) {
    ctx.protocolMismatch = true;
    ctx.blocker = "protocol mismatch (Engine.IO 3 server)";
    return failed(ctx, MISMATCH, details, Fixes.PROTOCOL);
  }

  private CheckResult refused(DiagnosisContext ctx, HttpAnswer answer, Map<String, Object> details) {
    Optional<EngineIoErrorBody> error = answer.engineIoError();
    error.ifPresent(e -> {
      details.put("engineIoCode", e.code());
      details.put("engineIoMessage", e.message());
    });
    int code = error.map(EngineIoErrorBody::code).orElse(-1);
    String status = "HTTP " + answer.status();
    if (answer.status() == 404) {
      ctx.pathNotFound = true;
      return failed(ctx, status + ": nothing at " + ctx.options.path() + " (wrong --path?)", details, Fixes.PATH);
    }
    if (code == 5) {
      ctx.protocolMismatch = true;
      ctx.blocker = "protocol mismatch";
      return failed(ctx, status + ", " + error.get() + ": the server does not speak Engine.IO 4", details,
          Fixes.PROTOCOL);
    }
    if (code == 0) {
      return failed(ctx, status + ", " + error.get() + ": long-polling is not enabled", details,
          Fixes.POLLING_DISABLED);
    }
    if (code == 4 || answer.status() == 403) {
      return failed(ctx, status + error.map(e -> ", " + e).orElse("") + ": the handshake is forbidden", details,
          "the server's allowRequest or a proxy/WAF refuses the request: check origin, headers and IP rules");
    }
    if (error.isPresent()) {
      return failed(ctx, status + ", " + error.get(), details, "the server refused the handshake: see the message");
    }
    if (answer.status() >= 500) {
      return failed(ctx, status + " " + answer.bodyExcerpt(), details,
          "the proxy cannot reach a healthy upstream (502/503) or it was too slow (504): check the Socket.IO servers");
    }
    return failed(ctx, status + ": not an Engine.IO open packet: " + answer.bodyExcerpt(), details,
        "something other than a Socket.IO v4 server answers at this URL and path");
  }

  private static CheckResult failed(DiagnosisContext ctx, String summary, Map<String, Object> details, String fix) {
    ctx.handshakeFailure = summary;
    return CheckResult.fail(NAME, summary, details, fix);
  }
}
