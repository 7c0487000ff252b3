package io.socketiocanary.client;

import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * Wraps engine.io-client's WebSocket listener.
 *
 * <p>The fix: engine.io-client 2.1 implements {@code onClosed} but not {@code onClosing}. When a
 * server or proxy closes gracefully (a close frame), OkHttp calls {@code onClosing} and waits for
 * the application to answer with its own close frame before it reports {@code onClosed}; the
 * engine never answers, so the dead connection is only noticed at the next ping timeout, up to
 * pingInterval + pingTimeout later (about 45 s with defaults). Answering the close frame here
 * completes the closing handshake, OkHttp calls {@code onClosed}, and the canary sees
 * {@code transport close} at once, as a browser would.
 *
 * <p>Also records the HTTP answer of a failed WebSocket handshake (status and body), which the
 * client reduces to an exception message.
 */
final class CloseFrameEchoingListener extends WebSocketListener {
  private final WebSocketListener delegate;
  private final ObservedHttp observer;

  CloseFrameEchoingListener(WebSocketListener delegate, ObservedHttp observer) {
    this.delegate = delegate;
    this.observer = observer;
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    delegate.onOpen(webSocket, response);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    delegate.onMessage(webSocket, text);
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteString bytes) {
    delegate.onMessage(webSocket, bytes);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    delegate.onClosing(webSocket, code, reason);
    webSocket.close(1000, null);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    delegate.onClosed(webSocket, code, reason);
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable t, Response response) {
    if (response != null) {
      observer.recordWebSocketFailure(response);
    }
    delegate.onFailure(webSocket, t, response);
  }
}
