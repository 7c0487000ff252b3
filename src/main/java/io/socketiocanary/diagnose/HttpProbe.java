package io.socketiocanary.diagnose;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The diagnosis's HTTP and WebSocket clients: every request carries the user's extra headers and
 * has a timeout. Keep-alive is off so each request takes its own connection, as a load balancer
 * sees independent browser requests (a reused connection would hide missing sticky sessions).
 * Vert.x sends an Origin header on WebSocket handshakes by default; it is switched off, so only
 * the CORS check presents an Origin. Used from the diagnosis's context only.
 */
final class HttpProbe implements AutoCloseable {
  private final DiagnoseOptions options;
  private final HttpClient http;
  private final WebSocketClient websockets;

  HttpProbe(Vertx vertx, DiagnoseOptions options) {
    this.options = options;
    int timeout = (int) options.timeout().toMillis();
    this.http = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(false)
        .setSsl(options.secure()).setTrustAll(options.insecure()).setVerifyHost(!options.insecure())
        .setConnectTimeout(timeout));
    this.websockets = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setSsl(options.secure()).setTrustAll(options.insecure()).setVerifyHost(!options.insecure())
        .setConnectTimeout(timeout).setClosingTimeout(1));
  }

  /** A request to {@code pathAndQuery} on the target; extra headers override the user's. */
  Future<HttpAnswer> send(HttpMethod method, String pathAndQuery, Map<String, String> extraHeaders, String body) {
    long timeout = options.timeout().toMillis();
    RequestOptions request = new RequestOptions().setMethod(method)
        .setAbsoluteURI(options.url() + pathAndQuery).setConnectTimeout(timeout).setIdleTimeout(timeout);
    options.headers().forEach(request::putHeader);
    extraHeaders.forEach(request::putHeader);
    long start = System.nanoTime();
    return http.request(request)
        .compose(req -> (body == null ? req.send() : req.send(body))
            .compose(resp -> resp.body().map(b -> new HttpAnswer(resp.statusCode(), resp.headers(), b.toString(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)))))
        .timeout(timeout, TimeUnit.MILLISECONDS);
  }

  Future<HttpAnswer> get(String pathAndQuery) {
    return send(HttpMethod.GET, pathAndQuery, Map.of(), null);
  }

  /** A WebSocket handshake; a non-101 answer fails with Vert.x's UpgradeRejectedException. */
  Future<WebSocket> websocket(String pathAndQuery, Map<String, String> extraHeaders) {
    String scheme = options.secure() ? "wss://" : "ws://";
    WebSocketConnectOptions connect = new WebSocketConnectOptions()
        .setAbsoluteURI(scheme + options.url().getRawAuthority() + pathAndQuery)
        .setAllowOriginHeader(false).setTimeout(options.timeout().toMillis());
    options.headers().forEach(connect::addHeader);
    extraHeaders.forEach(connect::addHeader);
    return websockets.connect(connect);
  }

  @Override
  public void close() {
    http.close();
    websockets.close();
  }
}
