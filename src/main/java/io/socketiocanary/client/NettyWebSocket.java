package io.socketiocanary.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.socketiocanary.client.dial.HostAddresses;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 * One canary WebSocket on a plain Netty channel, behind OkHttp's {@link WebSocket} interface,
 * which is what engine.io-client's WebSocket transport speaks.
 *
 * <p>Why not OkHttp's: its WebSocket parks a thread in a blocking read for the socket's whole
 * life (a platform thread on Java 17, a virtual thread and its stack on 21+) and hands every pong
 * to a writer task on another thread. Why not Vert.x's WebSocket client: each connection keeps
 * two message queues that preallocate 4 kB each, about 13 kB of heap per canary in all. A Netty
 * channel costs no thread and a few kB.
 *
 * <p>Delivers to the listener what OkHttp would, in the same order, from the channel's event
 * loop: {@code onOpen} before any message; then exactly one of {@code onClosed} (the peer's close
 * frame arrived; it is answered at once, which is also the graceful-close fix OkHttp needed) or
 * {@code onFailure} (a reset, an EOF without close frame, a refused or rejected handshake). A
 * failure's exception says what happened by its type ({@link WebSocketUpgradeRefused} with the
 * status, {@link SocketTimeoutException}, {@code ConnectException}, {@code SSLException} …), which
 * is what {@code FailureFacts} reads.
 *
 * <p>Thread-safe: the engine calls {@code send} and {@code close} from its EventThread; Netty
 * runs the writes on the channel's event loop.
 */
final class NettyWebSocket implements WebSocket {
  /** An error answer's body is read up to this (Engine.IO error bodies are tiny). */
  private static final int MAX_HANDSHAKE_ANSWER_BYTES = 64 * 1024;

  private final Request request;
  private final WebSocketListener listener;
  private final Consumer<Response> onRejected;
  private final Consumer<NettyWebSocket> onFinished;
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile Channel channel;
  private volatile boolean open;
  private volatile boolean cancelled;
  private volatile boolean resolving;
  /** What ended the connection without a close frame, if known before it closed. */
  private volatile Exception failure;
  /** The peer's close frame's status (1005 when it had none), once it sent one; -1 before. */
  private volatile int peerCloseCode = -1;
  private volatile String peerCloseReason = "";
  /** The answer of a handshake that was not 101, handed to the listener with its failure. */
  private volatile Response rejected;
  /** Timers that would otherwise keep a finished channel reachable: the handshake's, the close's. */
  private volatile ScheduledFuture<?> handshakeTimer;
  private volatile ScheduledFuture<?> closeTimer;
  private volatile int closeCode = -1;
  private volatile String closeReason = "";

  /**
   * @param onRejected told about a handshake answered with something other than 101 (with its
   *     body), before the listener hears of it
   * @param onFinished told once the WebSocket is done for good, after the listener's last callback
   */
  NettyWebSocket(Request request, WebSocketListener listener, Consumer<Response> onRejected,
      Consumer<NettyWebSocket> onFinished) {
    this.request = request;
    this.listener = listener;
    this.onRejected = onRejected;
    this.onFinished = onFinished;
  }

  /**
   * Starts connecting. The listener hears the outcome on {@code group}'s event loop, never
   * before this returns.
   *
   * @param addresses where to connect, already resolved, in order: the next one when a connect
   *     fails ({@link HostAddresses#worthTheNext}); {@code uri}'s host is still what the handshake
   *     and TLS name
   * @param tls null for {@code ws://}
   * @param timeoutMillis for each TCP connect and, again, for the handshake's answer
   */
  void connect(EventLoopGroup group, URI uri, List<InetSocketAddress> addresses, Map<String, String> headers,
      SslContext tls, long timeoutMillis, int maxMessageBytes) {
    dial(group, uri, addresses, 0, null, headers, tls, timeoutMillis, maxMessageBytes);
  }

  /** Connects to {@code addresses.get(index)}; {@code earlier}: the first address's failure, once one failed. */
  private void dial(EventLoopGroup group, URI uri, List<InetSocketAddress> addresses, int index, Throwable earlier,
      Map<String, String> headers, SslContext tls, long timeoutMillis, int maxMessageBytes) {
    if (cancelled) {
      fail(new SocketException("Canceled"));
      return;
    }
    HttpHeaders custom = new DefaultHttpHeaders();
    headers.forEach(custom::add);
    // No Origin of Netty's making: a Java client sends one only when configured (then it is in
    // `headers`). Masking on, as a client must.
    WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13,
        null, false, custom, maxMessageBytes, true, false, -1, false, false);
    String host = uri.getHost();
    InetSocketAddress address = addresses.get(index);
    int port = address.getPort();
    ChannelFuture connecting = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            channel = ch;
            ChannelPipeline p = ch.pipeline();
            if (tls != null) {
              p.addLast("tls", tls.newHandler(ch.alloc(), host, port));
            }
            p.addLast("http", new HttpClientCodec());
            p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HANDSHAKE_ANSWER_BYTES));
            p.addLast("canary", new Handler(handshaker, maxMessageBytes));
          }
        })
        .connect(address);
    channel = connecting.channel();
    connecting.addListener(done -> {
      if (!done.isSuccess()) {
        Throwable failure = HostAddresses.combined(earlier, done.cause());
        if (index + 1 < addresses.size() && HostAddresses.worthTheNext(done.cause())) {
          dial(group, uri, addresses, index + 1, failure, headers, tls, timeoutMillis, maxMessageBytes);
        } else {
          fail(failure);
        }
        return;
      }
      Channel ch = connecting.channel();
      if (cancelled) {
        abort();
        return;
      }
      handshakeTimer = ch.eventLoop().schedule(() -> {
        if (!open && ch.isActive()) {
          failure = new SocketTimeoutException("timeout");
          abort();
        }
      }, timeoutMillis, TimeUnit.MILLISECONDS);
    });
  }

  /** The channel's inbound end: the handshake's answer, then frames. Runs on the event loop. */
  private final class Handler extends SimpleChannelInboundHandler<Object> {
    /** Until the handshake is done; then dropped, with the URI and headers it holds (a connection lives long). */
    private WebSocketClientHandshaker handshaker;
    private final int maxMessageBytes;

    Handler(WebSocketClientHandshaker handshaker, int maxMessageBytes) {
      this.handshaker = handshaker;
      this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      handshaker.handshake(ctx.channel());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (handshaker != null) {
        answered(ctx, (FullHttpResponse) msg);
      } else if (msg instanceof TextWebSocketFrame text) {
        listener.onMessage(NettyWebSocket.this, text.text());
      } else if (msg instanceof BinaryWebSocketFrame binary) {
        listener.onMessage(NettyWebSocket.this, ByteString.of(ByteBufUtil.getBytes(binary.content())));
      } else if (msg instanceof PingWebSocketFrame ping) {
        ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      } else if (msg instanceof CloseWebSocketFrame close) {
        peerCloseReason = close.statusCode() < 0 ? "" : close.reasonText();
        peerCloseCode = close.statusCode() < 0 ? 1005 : close.statusCode();
        // Answer (echoing its status, as endpoints do) unless we already sent ours; then close.
        if (closeCode < 0) {
          ctx.writeAndFlush(close.retainedDuplicate()).addListener(f -> ctx.close());
        } else {
          ctx.close();
        }
      } else if (!(msg instanceof PongWebSocketFrame) && msg instanceof WebSocketFrame) {
        // Continuations are joined by the aggregator: anything else is a broken server.
        failure = new ProtocolException("unexpected frame " + msg.getClass().getSimpleName());
        abort();
      }
    }

    private void answered(ChannelHandlerContext ctx, FullHttpResponse answer) {
      if (failure != null) {
        // Already failing (our handshake timeout closed the channel): what the codec flushes out
        // on close is a half-read answer, not the server's. A slowloris's "200" status line with
        // its headers never finished was classified websocket_upgrade instead of timeout.
        return;
      }
      if (answer.decoderResult().isFailure()) {
        // Headers too long, a broken status line, or the peer closing mid-answer.
        failure = new ProtocolException("invalid handshake answer: " + answer.decoderResult().cause());
        ctx.close();
        return;
      }
      if (answer.status().code() != 101) {
        Response response = response(answer.status().code(), answer.status().reasonPhrase(), answer.headers())
            .body(ResponseBody.create(ByteBufUtil.getBytes(answer.content()), contentType(answer.headers())))
            .build();
        onRejected.accept(response);
        failure = new WebSocketUpgradeRefused(answer.status().code(), answer.status().reasonPhrase());
        rejected = response;
        ctx.close();
        return;
      }
      try {
        handshaker.finishHandshake(ctx.channel(), answer);
      } catch (RuntimeException e) {
        // 101 without the right Upgrade, Connection or Sec-WebSocket-Accept: what OkHttp calls a
        // ProtocolException too.
        ProtocolException protocol = new ProtocolException(e.getMessage());
        protocol.initCause(e);
        failure = protocol;
        ctx.close();
        return;
      }
      handshaker = null;
      // Fragmented messages are joined up to the same limit as a single frame. (Netty hands
      // bytes that came with the 101 to its WebSocket decoder only in a later task, after this.)
      ctx.pipeline().addBefore("canary", "ws-aggregator", new WebSocketFrameAggregator(maxMessageBytes));
      open = true;
      cancel(handshakeTimer);
      handshakeTimer = null;
      if (cancelled) {
        abort();
        return;
      }
      listener.onOpen(NettyWebSocket.this, response(101, "Switching Protocols", answer.headers()).build());
      if (closeCode >= 0) {
        sendClose();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (failure == null) {
        failure = asException(cause);
      }
      // As OkHttp fails a WebSocket on any read or write error.
      abort();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      ended();
    }
  }

  private void ended() {
    cancel(handshakeTimer);
    cancel(closeTimer);
    int code = peerCloseCode;
    if (code >= 0) {
      String reason = peerCloseReason;
      finish(() -> listener.onClosed(this, code, reason));
    } else {
      Exception why = failure != null ? failure : new EOFException("connection closed without a close frame");
      Response answer = rejected;
      finish(() -> listener.onFailure(this, why, answer));
    }
  }

  /** Fails without having connected (a drill's network blackout, a failed name lookup). */
  void refused(Exception why) {
    fail(why);
  }

  private void fail(Throwable cause) {
    Exception why = asException(cause);
    finish(() -> listener.onFailure(this, why, null));
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
    Channel ch = channel;
    if (!open || ch == null || finished.get()) {
      return false;
    }
    failure = new SocketException("Connection reset");
    ch.config().setOption(ChannelOption.SO_LINGER, 0);
    closeAbruptly(ch);
    return true;
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void abort() {
    Channel ch = channel;
    if (failure == null) {
      failure = new SocketException("Canceled");
    }
    if (ch != null) {
      closeAbruptly(ch);
    }
  }

  /** From the first handler's context, so TLS does not send close_notify first: the socket just closes. */
  private static void closeAbruptly(Channel ch) {
    ChannelHandlerContext first = ch.pipeline().firstContext();
    if (first != null) {
      first.close();
    } else {
      ch.close();
    }
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
    Channel ch = channel;
    if (!open || finished.get() || closeCode >= 0) {
      return false;
    }
    ch.writeAndFlush(new TextWebSocketFrame(text));
    return true;
  }

  @Override
  public boolean send(ByteString bytes) {
    Channel ch = channel;
    if (!open || finished.get() || closeCode >= 0) {
      return false;
    }
    ch.writeAndFlush(new BinaryWebSocketFrame(ch.alloc().buffer(bytes.size()).writeBytes(bytes.toByteArray())));
    return true;
  }

  @Override
  public boolean close(int code, String reason) {
    if (finished.get() || closeCode >= 0) {
      return false;
    }
    closeReason = reason == null ? "" : reason;
    closeCode = code;
    if (open) {
      sendClose();
    }
    return true;
  }

  /** Our close frame; the server answers with its own and ends the TCP connection. */
  private void sendClose() {
    Channel ch = channel;
    ch.writeAndFlush(new CloseWebSocketFrame(closeCode, closeReason));
    // A server that never answers must not keep the connection (OkHttp waits 60 s, so do we).
    closeTimer = ch.eventLoop().schedule(() -> closeAbruptly(ch), 60, TimeUnit.SECONDS);
  }

  /** Closes the connection at once, without a closing handshake; a pending connect ends as soon as it completes. */
  @Override
  public void cancel() {
    cancelled = true;
    if (!finished.get()) {
      abort();
    }
  }

  boolean finished() {
    return finished.get();
  }

  /** True while the dialer waits for the resolver on this WebSocket's host name. */
  boolean resolving() {
    return resolving;
  }

  void resolving(boolean waiting) {
    resolving = waiting;
  }

  /** Cancelled, closed or done before it was dialed: nobody waits for this one any more. */
  boolean abandoned() {
    return cancelled || closeCode >= 0 || finished.get();
  }

  private Response.Builder response(int status, String message, HttpHeaders headers) {
    Headers.Builder okHeaders = new Headers.Builder();
    headers.forEach(h -> okHeaders.addUnsafeNonAscii(h.getKey(), h.getValue()));
    return new Response.Builder()
        .request(request)
        .protocol(Protocol.HTTP_1_1)
        .code(status)
        .message(message)
        .headers(okHeaders.build());
  }

  private static MediaType contentType(HttpHeaders headers) {
    String value = headers.get("Content-Type");
    return value == null ? null : MediaType.parse(value);
  }

  /**
   * Netty names a connect timeout a {@code ConnectException} subclass, which would read as a
   * refused connection: it is a {@link SocketTimeoutException}, as the JDK's own connect says.
   */
  static Exception asException(Throwable t) {
    if (t instanceof io.netty.channel.ConnectTimeoutException) {
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
