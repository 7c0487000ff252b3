package io.socketiocanary.diagnose;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.socketiocanary.protocol.EnginePacket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * An Engine.IO connection over one Vert.x WebSocket: text packets arrive in a queue read with
 * {@link #next}, server pings ({@code 2}) are answered with pongs ({@code 3}) and timed, and the
 * end of the connection is recorded (close frame code and reason, or none for an abrupt end).
 * Confined to the context that opened the WebSocket.
 */
final class EngineSocket {
  private static final String PING = EnginePacket.PING.encode();
  private static final String PONG = EnginePacket.PONG.encode();
  private final Vertx vertx;
  private final WebSocket ws;
  private final long openedAt = System.nanoTime();
  private final ArrayDeque<String> packets = new ArrayDeque<>();
  private final List<Long> pingMillis = new ArrayList<>();
  private final Promise<Void> closed = Promise.promise();
  private Promise<String> waiting;
  private long closedMillis = -1;
  private Short closeCode;
  private String closeReason;
  private String error;

  EngineSocket(Vertx vertx, WebSocket ws) {
    this.vertx = vertx;
    this.ws = ws;
    ws.textMessageHandler(this::onText);
    ws.exceptionHandler(e -> error = String.valueOf(e.getMessage()));
    ws.closeHandler(v -> {
      closedMillis = sinceOpen();
      closeCode = ws.closeStatusCode();
      closeReason = ws.closeReason();
      closed.tryComplete();
      if (waiting != null) {
        Promise<String> w = waiting;
        waiting = null;
        w.tryFail("connection closed after " + closedMillis + " ms (" + describeClose() + ")");
      }
    });
  }

  private void onText(String text) {
    if (text.equals(PING)) {
      pingMillis.add(sinceOpen());
      ws.writeTextMessage(PONG);
      return;
    }
    if (waiting != null) {
      Promise<String> w = waiting;
      waiting = null;
      w.complete(text);
    } else {
      packets.add(text);
    }
  }

  /** The next packet other than a ping; fails after {@code timeoutMs} or when the connection ends. */
  Future<String> next(long timeoutMs) {
    if (!packets.isEmpty()) {
      return Future.succeededFuture(packets.poll());
    }
    if (closedMillis >= 0) {
      return Future.failedFuture("connection closed after " + closedMillis + " ms (" + describeClose() + ")");
    }
    Promise<String> promise = Promise.promise();
    waiting = promise;
    long timer = vertx.setTimer(timeoutMs, id -> {
      if (waiting == promise) {
        waiting = null;
      }
      promise.tryFail(new TimeoutException("no packet within " + timeoutMs + " ms"));
    });
    return promise.future().onComplete(r -> vertx.cancelTimer(timer));
  }

  /** The next packet that {@code wanted} accepts, skipping others (noops, events), within {@code timeoutMs}. */
  Future<String> next(java.util.function.Predicate<String> wanted, long timeoutMs) {
    long deadline = System.nanoTime() / 1_000_000 + timeoutMs;
    return next(timeoutMs).compose(packet -> {
      if (wanted.test(packet)) {
        return Future.succeededFuture(packet);
      }
      long left = deadline - System.nanoTime() / 1_000_000;
      return left <= 0 ? Future.failedFuture(new TimeoutException("no such packet within " + timeoutMs + " ms"))
          : next(wanted, left);
    });
  }

  void send(String packet) {
    ws.writeTextMessage(packet);
  }

  void close() {
    if (closedMillis < 0) {
      ws.close();
    }
  }

  /**
   * Ends the TCP connection with a reset (SO_LINGER 0): no WebSocket close frame, no Engine.IO
   * close, as a dropped network looks to the server. Reaches the channel through Vert.x's
   * {@link WebSocketInternal}; false (nothing done) when this Vert.x no longer offers it.
   */
  boolean cutAbruptly() {
    if (!(ws instanceof WebSocketInternal internal)) {
      return false;
    }
    Channel channel = internal.channelHandlerContext().channel();
    channel.config().setOption(ChannelOption.SO_LINGER, 0);
    channel.close();
    return true;
  }

  Future<Void> closed() {
    return closed.future();
  }

  boolean isClosed() {
    return closedMillis >= 0;
  }

  long sinceOpen() {
    return (System.nanoTime() - openedAt) / 1_000_000;
  }

  /** When each server ping arrived, in ms since the connection opened. */
  List<Long> pingMillis() {
    return List.copyOf(pingMillis);
  }

  long closedMillis() {
    return closedMillis;
  }

  Short closeCode() {
    return closeCode;
  }

  /** "close frame 1000 (reason)" or "no close frame: the TCP connection ended abruptly". */
  String describeClose() {
    if (closeCode == null || closeCode == 1006) {
      return "no close frame: the TCP connection ended abruptly" + (error == null ? "" : " (" + error + ")");
    }
    return "close frame " + closeCode + (closeReason == null || closeReason.isEmpty() ? "" : " \"" + closeReason + "\"");
  }
}
