package io.socketiocanary.demo;

import io.socketiocanary.protocol.EnginePacket;
import io.socketiocanary.protocol.OpenPacket;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * One Engine.IO v4 session: its id, current transport, outgoing buffer, the WebSocket upgrade and
 * the server-driven heartbeat (the server pings every {@code pingInterval} and closes the session
 * when no pong arrives within {@code pingTimeout}).
 *
 * <p>Not thread-safe: every method runs on the demo server's Vert.x context, and so do the timers
 * it sets.
 */
final class EngineSession {

  /** Callbacks to the server that owns the session. */
  interface Listener {
    /** A MESSAGE packet, text or binary. */
    void onMessage(EngineSession session, EnginePacket message);

    void onClose(EngineSession session, String reason);
  }

  private final String id;
  private final Vertx vertx;
  private final long pingIntervalMs;
  private final long pingTimeoutMs;
  private final Listener listener;
  private final List<EnginePacket> buffer = new ArrayList<>();
  private EngineTransport transport;
  private WebSocketTransport probe;
  private boolean upgrading;
  private boolean closed;
  private long pingTimer = -1;
  private long pongTimer = -1;

  EngineSession(String id, Vertx vertx, long pingIntervalMs, long pingTimeoutMs, Listener listener) {
    this.id = id;
    this.vertx = vertx;
    this.pingIntervalMs = pingIntervalMs;
    this.pingTimeoutMs = pingTimeoutMs;
    this.listener = listener;
  }

  String id() {
    return id;
  }

  EngineTransport transport() {
    return transport;
  }

  boolean closed() {
    return closed;
  }

  /** Attaches the first transport and starts the heartbeat; the caller sends the open packet. */
  void open(EngineTransport first) {
    this.transport = first;
    schedulePing();
  }

  /** The open packet of this session, as sent by the handshake of either transport. */
  EnginePacket openPacket(boolean canUpgrade) {
    return new OpenPacket(id, pingIntervalMs, pingTimeoutMs,
        canUpgrade ? List.of(WebSocketTransport.NAME) : List.of(), DemoSocketIoServer.MAX_PAYLOAD).toPacket();
  }

  void send(EnginePacket packet) {
    if (closed) {
      return;
    }
    buffer.add(packet);
    flush();
  }

  /** Called by a transport that became writable (for example a new long-poll GET). */
  void flush() {
    if (closed || transport == null || !transport.writable()) {
      return;
    }
    if (!buffer.isEmpty()) {
      List<EnginePacket> packets = new ArrayList<>(buffer);
      buffer.clear();
      transport.send(packets);
    } else if (upgrading && transport instanceof PollingTransport) {
      // The client pauses polling before it sends the upgrade packet; a noop lets it finish
      // the long-poll it has in flight instead of waiting for the next ping.
      transport.send(List.of(EnginePacket.NOOP));
    }
  }

  void onPacket(EnginePacket packet) {
    if (closed) {
      return;
    }
    switch (packet.type()) {
      case PONG -> {
        cancel(pongTimer);
        pongTimer = -1;
        schedulePing();
      }
      case PING -> send(new EnginePacket(EnginePacket.Type.PONG, packet.data()));
      case MESSAGE -> listener.onMessage(this, packet);
      case CLOSE -> {
        // The client closes: engine.io ends a long-poll it still holds with a noop, not a close.
        if (transport instanceof PollingTransport polling) {
          polling.release();
        }
        close("transport close");
      }
      default -> {
        // OPEN, UPGRADE and NOOP have no meaning from a client outside the upgrade probe.
      }
    }
  }

  /** Whether a WebSocket may start probing now: only a polling session, one probe at a time. */
  boolean canProbe() {
    return !closed && probe == null && transport instanceof PollingTransport;
  }

  void startProbe(WebSocketTransport ws) {
    probe = ws;
  }

  /** The probe answered {@code 2probe} with {@code 3probe}: let the held long-poll return. */
  void onProbePing() {
    upgrading = true;
    flush();
  }

  /** The client sent the upgrade packet on the probe: the WebSocket becomes the transport. */
  void completeUpgrade(WebSocketTransport ws) {
    if (closed || probe != ws) {
      return;
    }
    EngineTransport polling = transport;
    transport = ws;
    probe = null;
    upgrading = false;
    ((PollingTransport) polling).release();
    flush();
  }

  void abandonProbe(WebSocketTransport ws) {
    if (probe == ws) {
      probe = null;
      upgrading = false;
    }
  }

  /** The transport failed or closed under the session (for example a proxy cut it). */
  void onTransportClosed(EngineTransport closedTransport, String reason) {
    if (closedTransport == transport) {
      close(reason);
    }
  }

  void close(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    cancel(pingTimer);
    cancel(pongTimer);
    if (probe != null) {
      probe.close();
      probe = null;
    }
    if (transport != null) {
      transport.close();
    }
    buffer.clear();
    listener.onClose(this, reason);
  }

  private void schedulePing() {
    cancel(pingTimer);
    pingTimer = vertx.setTimer(pingIntervalMs, t -> {
      pingTimer = -1;
      send(EnginePacket.PING);
      pongTimer = vertx.setTimer(pingTimeoutMs, t2 -> close("ping timeout"));
    });
  }

  private void cancel(long timer) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
