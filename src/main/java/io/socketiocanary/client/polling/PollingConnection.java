package io.socketiocanary.client.polling;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * One keep-alive HTTP/1.1 connection of one canary to one origin, carrying one exchange at a time
 * (no pipelining, as browsers). Between exchanges it waits in the canary's {@link KeepAlive}.
 * Confined to its channel's event loop, which is the canary's.
 */
final class PollingConnection {
  /** Told what happens on the connection while an exchange is on it. */
  interface Exchange {
    void received(HttpObject message);

    /** The connection ended; {@code cause} is what ended it, if known. */
    void closed(Throwable cause, boolean answerStarted);
  }

  final Channel channel;
  /** scheme://host:port, the key a connection is reused for. */
  final String origin;
  private Exchange exchange;
  /** Exchanges this connection has carried, the current one included. */
  private int uses;
  private boolean answerStarted;
  private Throwable failure;
  /** When it went idle (System.nanoTime()), for the keep-alive timeout. */
  long idleSince;

  PollingConnection(Channel channel, String origin) {
    this.channel = channel;
    this.origin = origin;
  }

  /** Puts an exchange on the connection; true when the connection carried one before. */
  boolean begin(Exchange next) {
    exchange = next;
    answerStarted = false;
    return uses++ > 0;
  }

  /** The exchange is over; the connection is idle (or about to close). */
  void end() {
    exchange = null;
  }

  /** Ends the connection because of {@code cause}, which the exchange on it is then told. */
  void fail(Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    close(false);
  }

  boolean usable() {
    return exchange == null && channel.isActive();
  }

  /** Closes at once, with an RST instead of a FIN when {@code reset} (a drill's cut, as a network loss). */
  void close(boolean reset) {
    if (reset && channel.isOpen()) {
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
    }
    // From the first handler, so TLS does not send close_notify first: the socket just closes.
    ChannelHandlerContext first = channel.pipeline().firstContext();
    if (first != null) {
      first.close();
    } else {
      channel.close();
    }
  }

  /** Sits below the HTTP codec and above TLS: any byte here is a byte of the answer. */
  final class FirstByte extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      answerStarted = true;
      ctx.fireChannelRead(msg);
    }
  }

  /** Above the HTTP codec: hands the answer to the exchange. */
  final class Reader extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (exchange != null && msg instanceof HttpObject http) {
          exchange.received(http);
        } else {
          // Bytes nobody asked for on an idle connection: a broken server; never reuse it.
          close(false);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess() && failure == null) {
        failure = done.cause();
      }
      ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (failure == null) {
        failure = cause;
      }
      close(false);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      Exchange current = exchange;
      exchange = null;
      if (current != null) {
        current.closed(failure, answerStarted);
      }
      ctx.fireChannelInactive();
    }
  }
}
