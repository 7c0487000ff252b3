package io.socketiocanary.client;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.socketiocanary.client.dial.HostAddresses;
import io.socketiocanary.config.TargetConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
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
  private final Executor nameLookups;
  private final HostAddresses.Resolver resolver;
  private final long connectTimeoutMillis;
  private final SslContext tls;
  private final Runnable opened;
  private final Runnable finished;

  /**
   * @param resolver looks host names up on {@code nameLookups}
   * @param tls for an https target, else null
   */
  WebSocketDialer(EventLoopGroup loops, Executor nameLookups, HostAddresses.Resolver resolver, TargetConfig target,
      SslContext tls, Runnable opened, Runnable finished) {
    this.loops = loops;
    this.nameLookups = nameLookups;
    this.resolver = resolver;
    this.connectTimeoutMillis = target.connectTimeout().toMillis();
    this.tls = tls;
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
    int port = uri.getPort() > 0 ? uri.getPort() : (secure ? 443 : 80);
    // The handshake must finish within the Socket.IO connect timeout, after which the attempt is
    // abandoned anyway; a server that trickles its answer cannot hold the connection longer.
    Consumer<List<InetAddress>> dial = ips -> ws.connect(loops, uri,
        ips.stream().map(ip -> new InetSocketAddress(ip, port)).toList(), headers, secure ? tls : null,
        connectTimeoutMillis, HttpClients.MAX_WEBSOCKET_MESSAGE_BYTES);
    String host = uri.getHost();
    InetAddress literal = HostAddresses.literal(host);
    if (literal != null) {
      dial.accept(List.of(literal));
      return;
    }
    // The system resolver blocks; not on an event loop (every WebSocket on it would stall for as
    // long as DNS is slow) nor on the client's one EventThread, but on the fleet's own lookup
    // threads (see HttpClients.LOOKUPS_PER_FLEET). Every address, dialled in order.
    // Waiting for DNS from now on, queued behind the fleet's other lookups included: an attempt
    // that times out meanwhile timed out in DNS.
    ws.resolving(true);
    nameLookups.execute(() -> {
      if (ws.abandoned()) {
        ws.resolving(false);
        // Its attempt timed out while this lookup waited behind a hung one: do not look it up
        // (seconds more of the fleet's lookup threads), just end it.
        ws.refused(new java.net.SocketException("Canceled"));
        return;
      }
      List<InetAddress> ips;
      try {
        ips = HostAddresses.lookUp(resolver, host);
      } catch (UnknownHostException e) {
        ws.refused(e);
        return;
      } finally {
        ws.resolving(false);
      }
      dial.accept(ips);
    });
  }

  /** Fails {@code request} without touching the network, as a lost network would (a drill's blackout). */
  NettyWebSocket refuse(Request request, WebSocketListener listener, Exception why) {
    NettyWebSocket ws = new NettyWebSocket(request, listener, rejected -> { }, done -> { });
    loops.execute(() -> ws.refused(why));
    return ws;
  }
}
