package io.socketiocanary.client;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.socketiocanary.config.TargetConfig;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import okhttp3.OkHttp;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocketListener;

/**
 * Opens one target's canary WebSockets on the agent's WebSocket event loops, with the target's
 * connect timeout and TLS trust. Each WebSocket is a connection of its own, never shared.
 *
 * <p>Thread-safe.
 */
public final class WebSocketDialer {
  private final EventLoopGroup loops;
  private final long connectTimeoutMillis;
  private final SslContext tls;
  private final Runnable opened;
  private final Runnable finished;

  WebSocketDialer(EventLoopGroup loops, TargetConfig target, Runnable opened, Runnable finished) {
    this.loops = loops;
    this.connectTimeoutMillis = target.connectTimeout().toMillis();
    this.tls = "https".equalsIgnoreCase(target.url().getScheme()) || "wss".equalsIgnoreCase(target.url().getScheme())
        ? TargetTls.nettyContext(target.tls())
        : null;
    this.opened = opened;
    this.finished = finished;
  }

  /**
   * A WebSocket for {@code request} (OkHttp's form of the URL engine.io-client built), not yet
   * connecting: {@link #connect} starts the handshake.
   *
   * @param onRejected told about a handshake answered with something other than 101
   * @param onFinished told once the WebSocket is done for good
   */
  NettyWebSocket create(Request request, WebSocketListener listener, Consumer<Response> onRejected,
      Consumer<NettyWebSocket> onFinished) {
    opened.run();
    return new NettyWebSocket(request, listener, onRejected, ws -> {
      finished.run();
      onFinished.accept(ws);
    });
  }

  /** Starts the handshake; the listener hears the outcome on an event loop, never before this returns. */
  void connect(NettyWebSocket ws) {
    Request request = ws.request();
    boolean secure = request.url().isHttps();
    // OkHttp turned ws:// into http://; the handshake wants the WebSocket scheme back.
    URI uri = URI.create((secure ? "wss" : "ws") + request.url().toString().substring(secure ? 5 : 4));
    Map<String, String> headers = new LinkedHashMap<>();
    request.headers().forEach(h -> headers.put(h.getFirst(), h.getSecond()));
    if (request.header("User-Agent") == null) {
      // What the same canary's polling requests send (OkHttp's default), so proxies see one client.
      headers.put("User-Agent", "okhttp/" + OkHttp.VERSION);
    }
    // The handshake must finish within the Socket.IO connect timeout, after which the attempt is
    // abandoned anyway; a server that trickles its answer cannot hold the connection longer.
    ws.connect(loops, uri, headers, secure ? tls : null, connectTimeoutMillis, HttpClients.MAX_WEBSOCKET_MESSAGE_BYTES);
  }

  /** Fails {@code request} without touching the network, as a lost network would (a drill's blackout). */
  NettyWebSocket refuse(Request request, WebSocketListener listener, Exception why) {
    NettyWebSocket ws = new NettyWebSocket(request, listener, rejected -> { }, done -> { });
    loops.execute(() -> ws.refused(why));
    return ws;
  }
}
