package io.socketiocanary.diagnose;

import io.socketiocanary.protocol.EnginePacket;
import io.socketiocanary.protocol.NamespaceConnect;
import io.socketiocanary.protocol.OpenPacket;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * 7. Joining the namespace: {@code 40} (or {@code 40/ns,} with {@code {"token":…}}) and the
 * server's answer, {@code 40{"sid":…}} or {@code 44{"message":…}} from the namespace lookup or
 * the middleware. Over WebSocket when that works, else over polling, so an auth failure is still
 * named behind a proxy that breaks WebSocket.
 */
final class NamespaceCheck implements Check {
  static final String NAME = "namespace";
  /** The same words the agent's connect error classifier counts as auth. */
  static final Pattern AUTH = Pattern.compile("token|auth|expired|unauthori|forbidden|jwt", Pattern.CASE_INSENSITIVE);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<CheckResult> run(DiagnosisContext ctx) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("namespace", ctx.options.namespace());
    details.put("tokenSent", ctx.options.token() != null);
    Future<NamespaceConnect.Reply> reply;
    if (ctx.websocketWorks) {
      details.put("transport", "websocket");
      reply = overWebSocket(ctx);
    } else if (ctx.handshake != null) {
      details.put("transport", "polling");
      reply = overPolling(ctx);
    } else {
      return Future.succeededFuture(CheckResult.skip(NAME, "neither polling nor WebSocket connects"));
    }
    return reply.map(r -> judge(ctx, r, details))
        .recover(e -> Future.succeededFuture(CheckResult.fail(NAME, "no answer to the namespace connect: "
            + e.getMessage(), details, "the server did not answer the CONNECT packet: is it a Socket.IO v4 server?")));
  }

  private Future<NamespaceConnect.Reply> overWebSocket(DiagnosisContext ctx) {
    long timeout = ctx.options.timeout().toMillis();
    return ctx.probe.websocket(ctx.endpoint("websocket"), Map.of()).compose(ws -> {
      EngineSocket socket = new EngineSocket(ctx.vertx, ws);
      return socket.next(p -> p.startsWith("0{"), timeout)
          .compose(open -> {
            socket.send(NamespaceConnect.request(ctx.options.namespace(), ctx.options.token()));
            return socket.next(p -> reply(ctx, p).isPresent(), timeout);
          })
          .map(p -> reply(ctx, p).get())
          .eventually(() -> {
            socket.close();
            return Future.succeededFuture();
          });
    });
  }

  private Future<NamespaceConnect.Reply> overPolling(DiagnosisContext ctx) {
    return ctx.probe.get(ctx.endpoint("polling")).compose(answer -> {
      String sid = OpenPacket.parse(EnginePacket.splitPayload(answer.body()).get(0))
          .orElseThrow(() -> new IllegalStateException("HTTP " + answer.status() + " " + answer.bodyExcerpt()))
          .sid();
      String uri = ctx.endpoint("polling", sid);
      String connect = NamespaceConnect.request(ctx.options.namespace(), ctx.options.token());
      return ctx.probe.send(HttpMethod.POST, uri, DiagnosisContext.textPlain(), connect)
          .compose(posted -> ctx.probe.get(uri))
          .map(get -> EnginePacket.splitPayload(get.body()).stream()
              .map(p -> reply(ctx, p)).flatMap(Optional::stream).findFirst()
              .orElseThrow(() -> new IllegalStateException("HTTP " + get.status() + " " + get.bodyExcerpt())))
          .eventually(() -> ctx.closePollingSession(sid).otherwiseEmpty());
    });
  }

  private static Optional<NamespaceConnect.Reply> reply(DiagnosisContext ctx, String packet) {
    return NamespaceConnect.parseReply(packet).filter(r -> r.namespace().equals(ctx.options.namespace()));
  }

  private static CheckResult judge(DiagnosisContext ctx, NamespaceConnect.Reply reply, Map<String, Object> details) {
    String namespace = ctx.options.namespace();
    if (reply.connected()) {
      ctx.namespaceConnected = true;
      String sid = reply.data() == null ? "?" : reply.data().getString("sid", "?");
      details.put("socketId", sid);
      return CheckResult.pass(NAME, "connected to namespace " + namespace + " (socket id " + sid + ")", details);
    }
    String message = reply.message();
    details.put("message", message);
    if (reply.data() != null && reply.data().containsKey("data")) {
      details.put("data", String.valueOf(reply.data().getValue("data")));
    }
    if (message.equalsIgnoreCase("Invalid namespace")) {
      return CheckResult.fail(NAME, "invalid namespace " + namespace + ": the server has no such namespace "
          + "(44 \"Invalid namespace\")", details, Fixes.NAMESPACE);
    }
    if (AUTH.matcher(message).find()) {
      String sent = ctx.options.token() == null ? "no token was sent" : "a token was sent";
      return CheckResult.fail(NAME, "auth rejected by the server's middleware: \"" + message + "\" (" + sent + ")",
          details, Fixes.AUTH);
    }
    return CheckResult.fail(NAME, "rejected by the server's middleware: \"" + message + "\"", details, Fixes.REJECTED);
  }
}
