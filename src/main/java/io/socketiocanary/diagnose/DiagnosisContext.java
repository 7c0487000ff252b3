package io.socketiocanary.diagnose;

import io.socketiocanary.protocol.EnginePacket;
import io.socketiocanary.protocol.OpenPacket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * What the checks learned so far, passed from one to the next. Confined to the diagnosis's Vert.x
 * context: the checks run one after another on it, so the fields need no locking.
 */
public final class DiagnosisContext {
  final Vertx vertx;
  final DiagnoseOptions options;
  final HttpProbe probe;

  /** Set by a check after which nothing can reach the server: later checks skip with it. */
  String blocker;
  List<InetAddress> addresses = List.of();
  /** The Engine.IO open packet of the polling handshake (null when it failed). */
  OpenPacket handshake;
  /** Why the polling handshake failed (null when it worked). */
  String handshakeFailure;
  /** The polling handshake got 404: nothing answers at --path. */
  boolean pathNotFound;
  /** The server speaks another protocol generation: later checks cannot talk to it. */
  boolean protocolMismatch;
  /** Ping settings, from the polling handshake or the WebSocket's open packet. */
  long pingInterval = -1;
  long pingTimeout = -1;
  /** The direct WebSocket handshake got its 101 and an open packet. */
  boolean websocketWorks;
  /** Why the WebSocket handshake failed (null when it worked or did not run). */
  String websocketFailure;
  /** Why the sticky check found requests of one session on different backends (null when it did not). */
  String stickyFailure;
  /** The namespace connect succeeded. */
  boolean namespaceConnected;

  DiagnosisContext(Vertx vertx, DiagnoseOptions options, HttpProbe probe) {
    this.vertx = vertx;
    this.options = options;
    this.probe = probe;
  }

  public DiagnoseOptions options() {
    return options;
  }

  void learnPings(long interval, long timeout) {
    if (pingInterval < 0) {
      pingInterval = interval;
      pingTimeout = timeout;
    }
  }

  /** A Future completed after {@code millis} on this context. */
  Future<Void> delay(long millis) {
    io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
    vertx.setTimer(millis, id -> promise.complete());
    return promise.future();
  }

  /** The Engine.IO query of a new session on {@code transport}. */
  String endpoint(String transport) {
    return options.endpoint("EIO=4&transport=" + transport);
  }

  String endpoint(String transport, String sid) {
    return options.endpoint("EIO=4&transport=" + transport + "&sid=" + sid);
  }

  /** Ends a polling session with a CLOSE packet, so the diagnosis leaves nothing open behind it. */
  Future<HttpAnswer> closePollingSession(String sid) {
    return probe.send(HttpMethod.POST, endpoint("polling", sid), textPlain(), EnginePacket.CLOSE.encode());
  }

  static Map<String, String> textPlain() {
    return Map.of("Content-Type", "text/plain;charset=UTF-8");
  }
}
