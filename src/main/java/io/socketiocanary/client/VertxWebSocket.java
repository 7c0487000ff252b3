package io.socketiocanary.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.MultiMap;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.http.WebSocketInternal;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * One canary WebSocket on a Vert.x (Netty) connection, behind OkHttp's {@link WebSocket}
 * interface, which is what engine.io-client's WebSocket transport speaks.
 *
 * <p>Why not OkHttp's own: its WebSocket parks a thread in a blocking read for the socket's whole
 * life (a platform thread on Java 17, a virtual thread and its stack on 21+) and hands every pong
 * to a writer task on another thread. A Netty connection costs no thread and a few kB of heap.
 *
 * <p>Delivers to the listener what OkHttp would, in the same order, from the connection's event
 * loop: {@code onOpen} before any message; then exactly one of {@code onClosed} (the peer's close
 * frame arrived: Vert.x answers it at once, which is also the graceful-close fix OkHttp needed) or
 * {@code onFailure} (a reset, an EOF without close frame, a refused or rejected handshake, with
 * the exceptions OkHttp would throw, so the failure classifier reads both alike).
 *
 * <p>Thread-safe: the engine calls {@code send} and {@code close} from its EventThread; Vert.x
 * runs them on the event loop.
 */
final class VertxWebSocket implements WebSocket {
  private static final short ABNORMAL_CLOSURE = 1006;
  private final Request request;
  private final WebSocketListener listener;
  private final Consumer<UpgradeRejectedException> onRejected;
  private final Consumer<VertxWebSocket> onFinished;
  private final AtomicBoolean opened = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  /** Set once the handshake succeeded. */
  private volatile ClientWebSocket socket;
  /** What ended an open socket without a close frame, if known before the close event. */
  private volatile Exception failure;
  private volatile boolean cancelled;
  private volatile int closeCode = -1;
  private volatile String closeReason;

  /**
   * @param onRejected told about a handshake answered with something other than 101, before the
   *     listener hears of it
   * @param onFinished told once the socket is done for good, after the listener's last callback
   */
  VertxWebSocket(Request request, WebSocketListener listener, Consumer<UpgradeRejectedException> onRejected,
      Consumer<VertxWebSocket> onFinished) {
    this.request = request;
    this.listener = listener;
    this.onRejected = onRejected;
    this.onFinished = onFinished;
  }

  void connect(WebSocketClient client, WebSocketConnectOptions options) {
    ClientWebSocket ws = client.webSocket();
    // Handlers before connect: the server's Engine.IO open packet can arrive in the same read as
    // the 101 answer, before the connect future's listeners run.
    ws.textMessageHandler(text -> {
      announceOpen(ws);
      listener.onMessage(this, text);
    });
    ws.binaryMessageHandler(bytes -> {
      announceOpen(ws);
      listener.onMessage(this, ByteString.of(bytes.getBytes()));
    });
    ws.exceptionHandler(t -> {
      if (failure == null) {
        failure = asException(t);
      }
      // As OkHttp fails a WebSocket on any read or write error: Vert.x reports some (a message
      // over the size limit) without closing, which would leave the engine waiting for a ping.
      if (socket != null && !finished.get()) {
        channel(ws).pipeline().firstContext().close();
      }
    });
    ws.closeHandler(v -> ended(ws));
    ws.connect(options).onComplete(connected -> {
      if (connected.succeeded()) {
        opened(ws);
      } else {
        failed(connected.cause());
      }
    });
  }

  private void opened(ClientWebSocket ws) {
    socket = ws;
    if (cancelled) {
      abort(ws, false);
      return;
    }
    announceOpen(ws);
    if (closeCode >= 0) {
      closeNow(ws);
    }
  }

  private void announceOpen(ClientWebSocket ws) {
    if (opened.compareAndSet(false, true)) {
      listener.onOpen(this, handshakeResponse(ws.headers()));
    }
  }

  private void ended(ClientWebSocket ws) {
    Short code = ws.closeStatusCode();
    // Vert.x reports 1006 ("abnormal closure", never sent on the wire) when no close frame came:
    // an EOF or a reset, which OkHttp (and so the classifier and the docs) call a failure.
    if (code != null && code != ABNORMAL_CLOSURE) {
      finish(() -> listener.onClosed(this, code, ws.closeReason() == null ? "" : ws.closeReason()));
    } else {
      Exception why = failure != null ? failure : new EOFException("connection closed without a close frame");
      finish(() -> listener.onFailure(this, why, null));
    }
  }

  void failed(Throwable cause) {
    if (cause instanceof UpgradeRejectedException rejected) {
      onRejected.accept(rejected);
      finish(() -> listener.onFailure(this, notSwitching(rejected), rejectedResponse(rejected)));
    } else {
      finish(() -> listener.onFailure(this, asException(cause), null));
    }
  }

  private void finish(Runnable lastCallback) {
    if (finished.compareAndSet(false, true)) {
      try {
        lastCallback.run();
      } finally {
        onFinished.accept(this);
      }
    }
  }

  /**
   * Resets the TCP connection (SO_LINGER 0: an RST, no close frame), as a network loss would.
   * Returns false when there was no open connection to cut.
   */
  boolean reset() {
    ClientWebSocket ws = socket;
    if (ws == null || finished.get()) {
      return false;
    }
    abort(ws, true);
    return true;
  }

  private void abort(ClientWebSocket ws, boolean withReset) {
    failure = new SocketException(withReset ? "Connection reset" : "Canceled");
    Channel channel = channel(ws);
    if (withReset) {
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
    }
    // From the first handler's context, so the close goes straight to the socket: a plain
    // channel.close() passes Vert.x's WebSocket handler, which turns it into a graceful close
    // (a close frame, then waiting for the server's), and TLS's, which sends close_notify.
    channel.pipeline().firstContext().close();
  }

  /**
   * Vert.x keeps the Netty channel behind an internal interface; a test fails when a Vert.x
   * upgrade moves it, rather than drills silently turning into graceful closes.
   */
  static Channel channel(ClientWebSocket ws) {
    return ((WebSocketInternal) ws).channelHandlerContext().channel();
  }

  @Override
  public Request request() {
    return request;
  }

  @Override
  public long queueSize() {
    return 0;
  }

  @Override
  public boolean send(String text) {
    ClientWebSocket ws = socket;
    if (ws == null || finished.get() || closeCode >= 0) {
      return false;
    }
    ws.writeTextMessage(text);
    return true;
  }

  @Override
  public boolean send(ByteString bytes) {
    ClientWebSocket ws = socket;
    if (ws == null || finished.get() || closeCode >= 0) {
      return false;
    }
    ws.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(bytes.toByteArray()));
    return true;
  }

  @Override
  public boolean close(int code, String reason) {
    if (finished.get() || closeCode >= 0) {
      return false;
    }
    closeReason = reason == null ? "" : reason;
    closeCode = code;
    ClientWebSocket ws = socket;
    if (ws != null) {
      closeNow(ws);
    }
    return true;
  }

  private void closeNow(ClientWebSocket ws) {
    ws.close((short) closeCode, closeReason);
  }

  /** Closes the connection at once, without a closing handshake; a pending handshake ends when it completes. */
  @Override
  public void cancel() {
    cancelled = true;
    ClientWebSocket ws = socket;
    if (ws != null && !finished.get()) {
      abort(ws, false);
    }
  }

  boolean finished() {
    return finished.get();
  }

  /** OkHttp's message for the same case, which the failure classifier reads the status from. */
  private static ProtocolException notSwitching(UpgradeRejectedException rejected) {
    int status = rejected.getStatus();
    ProtocolException e = new ProtocolException("Expected HTTP 101 response but was '" + status + " "
        + HttpResponseStatus.valueOf(status).reasonPhrase() + "'");
    e.initCause(rejected);
    return e;
  }

  private Response rejectedResponse(UpgradeRejectedException rejected) {
    byte[] body = rejected.getBody() == null ? new byte[0] : rejected.getBody().getBytes();
    String contentType = rejected.getHeaders() == null ? null : rejected.getHeaders().get("Content-Type");
    return response(rejected.getStatus(), rejected.getHeaders())
        .body(ResponseBody.create(body, contentType == null ? null : MediaType.parse(contentType)))
        .build();
  }

  private Response handshakeResponse(MultiMap headers) {
    return response(101, headers).build();
  }

  private Response.Builder response(int status, MultiMap headers) {
    Headers.Builder okHeaders = new Headers.Builder();
    if (headers != null) {
      headers.forEach(h -> okHeaders.addUnsafeNonAscii(h.getKey(), h.getValue()));
    }
    return new Response.Builder()
        .request(request)
        .protocol(Protocol.HTTP_1_1)
        .code(status)
        .message(HttpResponseStatus.valueOf(status).reasonPhrase())
        .headers(okHeaders.build());
  }

  /**
   * Netty and Vert.x name some failures differently from OkHttp (and from what the classifier
   * reads): a connect timeout is a {@code ConnectException} subclass in Netty, a handshake
   * timeout a {@code TimeoutException}; OkHttp reports both as {@link SocketTimeoutException}.
   */
  static Exception asException(Throwable t) {
    if (t instanceof io.netty.channel.ConnectTimeoutException || t instanceof TimeoutException) {
      SocketTimeoutException timeout = new SocketTimeoutException(t.getMessage());
      timeout.initCause(t);
      return timeout;
    }
    if (t instanceof Exception e) {
      return e;
    }
    return new IOException(t);
  }
}
