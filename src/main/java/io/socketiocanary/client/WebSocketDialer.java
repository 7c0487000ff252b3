package io.socketiocanary.client;

import io.socketiocanary.config.TargetConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.ClientSSLOptions;
import java.util.function.Consumer;
import okhttp3.OkHttp;
import okhttp3.Request;
import okhttp3.WebSocketListener;

/**
 * Opens one target's canary WebSockets on the agent's Vert.x WebSocket client, with the target's
 * connect timeout and TLS trust. Each WebSocket is a connection of its own: Vert.x never pools
 * them, so canaries cannot share one.
 *
 * <p>Thread-safe.
 */
public final class WebSocketDialer {
  private final Vertx vertx;
  private final WebSocketClient client;
  private final long connectTimeoutMillis;
  private final ClientSSLOptions tls;
  private final Runnable opened;
  private final Runnable finished;

  WebSocketDialer(Vertx vertx, WebSocketClient client, TargetConfig target, Runnable opened, Runnable finished) {
    this.vertx = vertx;
    this.client = client;
    this.connectTimeoutMillis = target.connectTimeout().toMillis();
    this.tls = TargetTls.vertxOptions(target.tls());
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
  VertxWebSocket create(Request request, WebSocketListener listener, Consumer<UpgradeRejectedException> onRejected,
      Consumer<VertxWebSocket> onFinished) {
    opened.run();
    return new VertxWebSocket(request, listener, onRejected, ws -> {
      finished.run();
      onFinished.accept(ws);
    });
  }

  /** Starts the handshake; the listener hears the outcome on a Vert.x event loop, never before this returns. */
  void connect(VertxWebSocket ws) {
    ws.connect(client, options(ws.request()));
  }

  /** Fails {@code request} without touching the network, as a lost network would (a drill's blackout). */
  VertxWebSocket refuse(Request request, WebSocketListener listener, Exception why) {
    VertxWebSocket ws = new VertxWebSocket(request, listener, rejected -> { }, done -> { });
    vertx.runOnContext(v -> ws.failed(why));
    return ws;
  }

  private WebSocketConnectOptions options(Request request) {
    boolean secure = request.url().isHttps();
    // OkHttp turned ws:// into http://; Vert.x wants the WebSocket scheme back.
    String url = (secure ? "wss" : "ws") + request.url().toString().substring(secure ? 5 : 4);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    request.headers().forEach(h -> headers.add(h.getFirst(), h.getSecond()));
    if (!headers.contains("User-Agent")) {
      // What the same canary's polling requests send (OkHttp's default), so proxies see one client.
      headers.set("User-Agent", "okhttp/" + OkHttp.VERSION);
    }
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setAbsoluteURI(url)
        .setHeaders(headers)
        // A Java client sends no Origin unless the target configures one (then it is in `headers`).
        // Vert.x drops every Origin header when this is false, and makes one up only when true
        // and none is given.
        .setAllowOriginHeader(headers.contains("Origin"))
        .setConnectTimeout(connectTimeoutMillis)
        // The handshake must finish within the Socket.IO connect timeout, after which the attempt
        // is abandoned anyway; a server that trickles its answer cannot hold the connection longer.
        .setTimeout(connectTimeoutMillis);
    if (secure) {
      options.setSslOptions(tls);
    }
    return options;
  }
}
