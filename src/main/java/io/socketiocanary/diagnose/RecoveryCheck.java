package io.socketiocanary.diagnose;

import io.socketiocanary.protocol.NamespaceConnect;
import io.socketiocanary.protocol.SocketIoPacket;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * 9. Connection state recovery (Socket.IO &ge; 4.6), as the official JS client does it: join the
 * namespace over WebSocket and keep the {@code pid} of the CONNECT answer; wait for an event whose
 * last argument is a string, its offset (a session that received none cannot be recovered: the
 * server looks the offset up among the packets it keeps); cut the TCP connection with a reset, no
 * close frame; {@link #CUT_MS} later reconnect with {@code {pid, offset}} in the CONNECT auth. The
 * session came back when the answer carries the same pid; the server writes the missed events
 * before that answer, so they are counted as replayed.
 *
 * <p>The pid and the offset are session secrets: they go into the CONNECT packet only, never into
 * the result.
 */
final class RecoveryCheck implements Check {
  static final String NAME = "recovery";
  /** How long the connection stays cut, as a short network drop. */
  static final long CUT_MS = 1000;
  /** Bounds the whole check: two connects of three steps each, the wait for an event, the cut. */
  static final int SAFETY_TIMEOUTS = 8;
  private static final String PID = "pid";
  private static final String OFFSET = "offset";

  @Override
  public String name() {
    return NAME;
  }

  /** A joined connection and what arrived before the CONNECT answer. */
  private record Joined(EngineSocket socket, NamespaceConnect.Reply reply, int eventsBefore) {}

  @Override
  public Future<CheckResult> run(DiagnosisContext ctx) {
    if (!ctx.websocketWorks) {
      return Future.succeededFuture(CheckResult.skip(NAME, "WebSocket does not connect"));
    }
    if (!ctx.namespaceConnected) {
      return Future.succeededFuture(CheckResult.skip(NAME, "the namespace connect failed"));
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("namespace", ctx.options.namespace());
    details.put("transport", "websocket");
    return join(ctx, baseAuth(ctx))
        .compose(first -> firstSession(ctx, first, details))
        .recover(e -> Future.succeededFuture(CheckResult.fail(NAME, "the recovery test could not run: "
            + e.getMessage(), details, "the earlier checks connected: run the diagnosis again; if it persists, "
            + "check the server's logs for this connection")));
  }

  private static JsonObject baseAuth(DiagnosisContext ctx) {
    JsonObject auth = new JsonObject();
    if (ctx.options.token() != null) {
      auth.put("token", ctx.options.token());
    }
    return auth;
  }

  private static Future<CheckResult> firstSession(DiagnosisContext ctx, Joined first, Map<String, Object> details) {
    EngineSocket socket = first.socket();
    if (!first.reply().connected()) {
      socket.close();
      return Future.succeededFuture(CheckResult.fail(NAME, "the namespace connect was refused: \""
          + first.reply().message() + "\"", details, Fixes.REJECTED));
    }
    JsonObject data = first.reply().data() == null ? new JsonObject() : first.reply().data();
    String socketId = data.getString("sid", "?");
    String pid = data.getValue(PID) instanceof String s ? s : null;
    details.put("socketId", socketId);
    details.put("offered", pid != null);
    if (pid == null) {
      socket.close();
      return Future.succeededFuture(new CheckResult(NAME, Status.SKIP, "server does not offer connection state "
          + "recovery (no pid in the CONNECT answer): a reconnect is always a new session and what was sent "
          + "meanwhile is lost", details, Fixes.RECOVERY_OFF));
    }
    long wait = ctx.options.timeout().toMillis();
    details.put("eventWaitMillis", wait);
    return awaitOffset(socket, ctx.options.namespace(), now() + wait).compose(offset -> {
      if (offset.isEmpty()) {
        socket.close();
        return Future.succeededFuture(CheckResult.warn(NAME, "server offers recovery, but no event arrived on "
            + ctx.options.namespace() + " within " + seconds(wait) + " s: a session that has received no event "
            + "cannot be recovered (the server needs the offset of the last one), so recovery was not tested",
            details, Fixes.RECOVERY_NO_EVENT));
      }
      if (!socket.cutAbruptly()) {
        socket.close();
        return Future.succeededFuture(CheckResult.warn(NAME, "recovery not tested: this build cannot cut a "
            + "WebSocket abruptly (Vert.x no longer exposes its channel)", details,
            "report this as a bug of socketio-canary diagnose"));
      }
      details.put("cutMillis", CUT_MS);
      JsonObject auth = baseAuth(ctx).put(PID, pid).put(OFFSET, offset.get());
      return ctx.delay(CUT_MS)
          .compose(v -> join(ctx, auth))
          .map(second -> {
            second.socket().close();
            return judge(ctx, socketId, pid, second, details);
          });
    });
  }

  private static CheckResult judge(DiagnosisContext ctx, String socketId, String pid, Joined second,
      Map<String, Object> details) {
    String cut = "after a " + seconds(CUT_MS) + " s abrupt cut";
    NamespaceConnect.Reply reply = second.reply();
    details.put("replayedEvents", second.eventsBefore());
    if (!reply.connected()) {
      details.put("message", reply.message());
      String auth = NamespaceCheck.AUTH.matcher(reply.message()).find() ? "; " + Fixes.AUTH : "";
      return CheckResult.fail(NAME, "not recovered " + cut + ": the reconnect offering the session was refused: \""
          + reply.message() + "\" (a middleware rejects the recovery handshake)", details,
          Fixes.RECOVERY_MIDDLEWARE + auth);
    }
    JsonObject data = reply.data() == null ? new JsonObject() : reply.data();
    String newSocketId = data.getString("sid", "?");
    boolean recovered = pid.equals(data.getValue(PID));
    details.put("reconnectSocketId", newSocketId);
    details.put("socketIdKept", socketId.equals(newSocketId));
    details.put("recovered", recovered);
    if (recovered) {
      return CheckResult.pass(NAME, "session recovered " + cut + ": socket id " + newSocketId
          + (socketId.equals(newSocketId) ? " kept" : " (was " + socketId + ")") + ", " + second.eventsBefore()
          + " missed events replayed", details);
    }
    String likely = ctx.stickyFailure != null
        ? "likely cause: requests of one session reach different backends (the sticky check failed), so the "
            + "reconnect reached a server that does not hold the session"
        : "likely causes: the reconnect reached another server (a round-robin proxy without sticky sessions, "
            + "or an adapter without recovery support), maxDisconnectionDuration shorter than "
            + seconds(CUT_MS) + " s, or the session was dropped";
    return CheckResult.fail(NAME, "not recovered " + cut + ": the server answered with a new session (socket id "
        + socketId + " → " + newSocketId + "), missed events are lost; " + likely, details, Fixes.RECOVERY_LOST);
  }

  /** Connects a new WebSocket and joins the namespace with {@code auth}; the socket is closed on failure. */
  private static Future<Joined> join(DiagnosisContext ctx, JsonObject auth) {
    long timeout = ctx.options.timeout().toMillis();
    String namespace = ctx.options.namespace();
    return ctx.probe.websocket(ctx.endpoint("websocket"), Map.of()).compose(ws -> {
      EngineSocket socket = new EngineSocket(ctx.vertx, ws);
      return socket.next(p -> p.startsWith("0{"), timeout)
          .compose(open -> {
            socket.send(NamespaceConnect.requestWithAuth(namespace, auth.isEmpty() ? null : auth));
            return awaitAnswer(socket, namespace, now() + timeout, 0);
          })
          .map(answer -> new Joined(socket, answer.reply(), answer.eventsBefore()))
          .onFailure(e -> socket.close());
    });
  }

  private record Answer(NamespaceConnect.Reply reply, int eventsBefore) {}

  /** Reads up to the namespace's CONNECT answer, counting the events before it (replayed ones). */
  private static Future<Answer> awaitAnswer(EngineSocket socket, String namespace, long deadline, int events) {
    long left = deadline - now();
    if (left <= 0) {
      return Future.failedFuture(new TimeoutException("no answer to the namespace connect"));
    }
    return socket.next(left).compose(packet -> {
      Optional<NamespaceConnect.Reply> reply = NamespaceConnect.parseReply(packet)
          .filter(r -> r.namespace().equals(namespace));
      if (reply.isPresent()) {
        return Future.succeededFuture(new Answer(reply.get(), events));
      }
      return awaitAnswer(socket, namespace, deadline, events + (event(packet, namespace).isPresent() ? 1 : 0));
    });
  }

  /** The offset of the first event with one before {@code deadline}, or empty when none came. */
  private static Future<Optional<String>> awaitOffset(EngineSocket socket, String namespace, long deadline) {
    long left = deadline - now();
    if (left <= 0) {
      return Future.succeededFuture(Optional.empty());
    }
    return socket.next(left).transform(next -> {
      if (next.failed()) {
        return next.cause() instanceof TimeoutException ? Future.succeededFuture(Optional.empty())
            : Future.failedFuture(next.cause());
      }
      Optional<String> offset = event(next.result(), namespace).flatMap(RecoveryCheck::offset);
      return offset.isPresent() ? Future.succeededFuture(offset) : awaitOffset(socket, namespace, deadline);
    });
  }

  /**
   * The arguments (event name first) of {@code packet} when it is an event on {@code namespace}
   * that asks no ack: an acked event's last argument is the ack, never an offset.
   */
  static Optional<JsonArray> event(String packet, String namespace) {
    if (packet == null || packet.length() < 2 || packet.charAt(0) != '4') {
      return Optional.empty();
    }
    try {
      SocketIoPacket decoded = SocketIoPacket.decode(packet.substring(1));
      boolean isEvent = decoded.type() == SocketIoPacket.Type.EVENT || decoded.type() == SocketIoPacket.Type.BINARY_EVENT;
      if (!isEvent || !decoded.namespace().equals(namespace) || decoded.ackId() >= 0) {
        return Optional.empty();
      }
      return Optional.of(new JsonArray(decoded.json()));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return Optional.empty();
    }
  }

  /** The offset an event carries: its last argument when that is a string (socket.io-client {@code emitEvent}). */
  static Optional<String> offset(JsonArray args) {
    return args.isEmpty() || !(args.getValue(args.size() - 1) instanceof String s) ? Optional.empty()
        : Optional.of(s);
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
  }
}
