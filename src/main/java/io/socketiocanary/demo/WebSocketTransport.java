package io.socketiocanary.demo;

import io.socketiocanary.protocol.EnginePacket;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;

/**
 * The WebSocket transport, one Engine.IO packet per text frame and a binary message per binary
 * frame. It either opens a session itself ({@code transport=websocket} without a sid: the open
 * packet goes first) or probes an existing polling session ({@code 2probe} → {@code 3probe}, then
 * the client's upgrade packet {@code 5} makes it the session's transport).
 *
 * <p>Not thread-safe: confined to the demo server's Vert.x context.
 */
final class WebSocketTransport implements EngineTransport {

  static final String NAME = "websocket";

  private final EngineSession session;
  private final ServerWebSocket ws;
  private boolean probing;
  private boolean closing;
  private boolean writing;

  private WebSocketTransport(EngineSession session, ServerWebSocket ws, boolean probing) {
    this.session = session;
    this.ws = ws;
    this.probing = probing;
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(bytes -> onPacket(EnginePacket.binaryMessage(bytes)));
    ws.exceptionHandler(e -> fail("transport error"));
    ws.closeHandler(v -> onClosed());
  }

  /** A WebSocket that opens a new session: sends the open packet and attaches to the session. */
  static WebSocketTransport direct(EngineSession session, ServerWebSocket ws) {
    WebSocketTransport transport = new WebSocketTransport(session, ws, false);
    session.open(transport);
    ws.writeTextMessage(session.openPacket(false).encode());
    return transport;
  }

  /** A WebSocket that probes the polling session it names by sid. */
  static WebSocketTransport probe(EngineSession session, ServerWebSocket ws) {
    WebSocketTransport transport = new WebSocketTransport(session, ws, true);
    session.startProbe(transport);
    return transport;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean writable() {
    return !probing && !closing && !writing;
  }

  /**
   * Writes one batch; packets sent meanwhile wait in the session's buffer until it is written, as
   * in engine.io (its WebSocket transport is not writable while a send is in flight). A client
   * that reads two packets in one chunk may handle the second before it listens for it: the
   * Socket.IO suite's auth packet right after the CONNECT answer is such a case.
   */
  @Override
  public void send(List<EnginePacket> packets) {
    writing = true;
    Future<Void> written = Future.succeededFuture();
    for (EnginePacket packet : packets) {
      written = packet.isBinary() ? ws.writeBinaryMessage(packet.binary()) : ws.writeTextMessage(packet.encode());
    }
    written.onComplete(done -> {
      writing = false;
      session.flush();
    });
  }

  @Override
  public void close() {
    if (!closing) {
      closing = true;
      ws.close();
    }
  }

  private void onText(String text) {
    EnginePacket packet;
    try {
      packet = EnginePacket.decode(text);
    } catch (IllegalArgumentException e) {
      fail("parse error");
      return;
    }
    onPacket(packet);
  }

  private void onPacket(EnginePacket packet) {
    if (!probing) {
      session.onPacket(packet);
    } else if (packet.equals(EnginePacket.PROBE)) {
      ws.writeTextMessage(EnginePacket.PROBE_ANSWER.encode());
      session.onProbePing();
    } else if (packet.type() == EnginePacket.Type.UPGRADE) {
      probing = false;
      session.completeUpgrade(this);
    } else {
      // Anything else during the probe is a client bug; engine.io drops the probe too.
      session.abandonProbe(this);
      close();
    }
  }

  private void fail(String reason) {
    if (probing) {
      session.abandonProbe(this);
      close();
    } else {
      close();
      session.onTransportClosed(this, reason);
    }
  }

  private void onClosed() {
    closing = true;
    if (probing) {
      session.abandonProbe(this);
    } else {
      session.onTransportClosed(this, "transport close");
    }
  }
}
