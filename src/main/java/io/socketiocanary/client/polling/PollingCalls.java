package io.socketiocanary.client.polling;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;
import io.socketiocanary.client.dial.HostAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One canary's polling HTTP client, behind OkHttp's {@link Call.Factory}, which is what
 * engine.io-client's polling transport speaks (it uses {@code newCall} and {@code enqueue}, and
 * reads the answer's status, headers and whole body inside {@code onResponse}).
 *
 * <p>Why not OkHttp: each call in flight holds a dispatcher thread in a blocking read for as long
 * as the long-poll waits (a platform thread per polling canary on Java 17), every pooled
 * connection is found by scanning a shared pool, and every read timeout is an insert into okio's
 * one sorted list. Here a canary's calls run on one of the agent's canary event loops (the
 * EventThread's own where it can be, {@code HttpClients}): no thread per call, no shared pool, no
 * timeout list; an answer is handed over once it is complete, its body (bounded) in memory, so
 * the engine's read of it never blocks the loop.
 *
 * <p>Behaves as OkHttp did where the tests look: connect timeout, TLS with the target's trust,
 * redirects as a browser ({@link Redirects}), keep-alive reuse with one retry on a fresh
 * connection when a reused one fails before any byte of its answer, bodies over
 * {@link PollingTarget#MAX_BODY_BYTES} fail ({@link BodyTooLarge}), cancelled calls fail with
 * {@code IOException("Canceled")}. Connections are the canary's alone, as a browser's.
 *
 * <p>Thread-safe: the engine calls from its EventThread, the canary from its fleet's loop; the
 * state of calls and connections is confined to this canary's event loop.
 */
public final class PollingCalls implements Call.Factory {
  /** Sees every final answer (after redirects, body in memory) before the engine does. */
  public interface Observer {
    /** May fail the call instead (a CORS refusal a browser would make). */
    void answered(Response response) throws IOException;
  }

  /** OkHttp's limits were larger (256 KiB of headers); an Engine.IO answer's head is a few hundred bytes. */
  private static final int MAX_INITIAL_LINE = 4096;
  private static final int MAX_HEADERS = 64 * 1024;
  private static final int MAX_CHUNK = 8192;

  private final PollingTarget target;
  final EventLoop loop;
  private final BooleanSupplier networkDown;
  final Observer observer;
  private final KeepAlive keepAlive;
  /** Calls not yet ended, so cancelling them never scans anything shared. */
  private final Set<NettyCall> calls = ConcurrentHashMap.newKeySet();
  /** Every open connection, in use or idle, for a drill's cut. */
  private final Set<PollingConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger lookupsInFlight = new AtomicInteger();

  PollingCalls(PollingTarget target, EventLoop loop, BooleanSupplier networkDown, Observer observer) {
    this.target = target;
    this.loop = loop;
    this.networkDown = networkDown;
    this.observer = observer;
    this.keepAlive = new KeepAlive(loop);
  }

  @Override
  public Call newCall(Request request) {
    return new NettyCall(this, request);
  }

  /**
   * Cancels every call not yet ended: engine.io-client never cancels a request of an engine it has
   * closed, so a server that trickles an answer would keep it forever. Returns how many were
   * cancelled.
   */
  public int cancelAll() {
    int cancelled = 0;
    for (NettyCall call : calls) {
      calls.remove(call);
      if (!call.isCanceled()) {
        call.cancel();
        cancelled++;
      }
    }
    return cancelled;
  }

  /**
   * Resets every connection, busy or idle (SO_LINGER 0: an RST), as a network loss would. The
   * caller holds the network down meanwhile, so a call on a reused connection is not quietly
   * retried on a fresh one. Returns how many were cut.
   */
  public int cutAll() {
    int cut = 0;
    for (PollingConnection c : connections) {
      connections.remove(c);
      c.close(true);
      cut++;
    }
    return cut;
  }

  /**
   * Closes the idle keep-alive connections, once the canary connection they belong to is
   * discarded: nothing reuses them after that (the canary's next connection gets calls of its
   * own), and a canary that keeps failing and starting afresh would otherwise hold a minute's
   * worth of them (OkHttp's pools kept them as long).
   */
  public void closeIdle() {
    try {
      loop.execute(keepAlive::closeAll);
    } catch (RejectedExecutionException e) {
      // The loop is gone, and its connections with it.
    }
  }

  /** True while a host-name lookup of this canary waits for the resolver (queued included). */
  public boolean resolving() {
    return lookupsInFlight.get() > 0;
  }

  /** Calls enqueued and not yet ended. */
  public int inFlight() {
    return calls.size();
  }

  void started(NettyCall call) {
    calls.add(call);
    target.inFlight.incrementAndGet();
  }

  void ended(NettyCall call) {
    calls.remove(call);
    target.inFlight.decrementAndGet();
  }

  /** On the loop: an idle connection to the request's origin, or null. */
  PollingConnection reusable(HttpUrl url) {
    return keepAlive.take(origin(url));
  }

  /** On the loop: the exchange is over and the connection may carry another. */
  void release(PollingConnection c) {
    c.end();
    if (c.channel.isActive()) {
      keepAlive.put(c);
    }
  }

  /**
   * Opens a fresh connection to {@code url}'s origin: looks the host up (off the loop), builds the
   * target's TLS context if this is its first https connection (off the loop too), connects to
   * the first of its addresses that accepts within the connect timeout, and hands the connection
   * (or why there is none) to {@code then} on the loop. {@code abandoned} is asked before each
   * step, so a call cancelled meanwhile neither waits for the resolver nor connects.
   */
  void connect(HttpUrl url, BooleanSupplier abandoned, BiConsumer<PollingConnection, Throwable> then) {
    if (networkDown.getAsBoolean()) {
      then.accept(null, new NoRouteToHostException("network down (reconnect drill)"));
      return;
    }
    String host = url.host();
    InetAddress literal = HostAddresses.literal(host);
    boolean needsTls = url.isHttps() && !target.tls.isBuilt();
    if (literal != null && !needsTls) {
      dial(url, List.of(literal), 0, null, abandoned, then);
      return;
    }
    // The system resolver blocks, and so does reading a trust store: on the fleet's own lookup
    // threads, never on the loop, where every canary sharing it would wait.
    lookupsInFlight.incrementAndGet();
    try {
      target.lookups.execute(() -> {
        if (abandoned.getAsBoolean()) {
          lookupsInFlight.decrementAndGet();
          loop.execute(() -> then.accept(null, new IOException("Canceled")));
          return;
        }
        List<InetAddress> ips;
        try {
          if (needsTls) {
            target.tls.get();
          }
        } catch (RuntimeException e) {
          // The CA file changed since the config was checked: a TLS failure of this connection.
          lookupsInFlight.decrementAndGet();
          loop.execute(() -> then.accept(null, new SSLException(e.getMessage(), e)));
          return;
        }
        try {
          ips = literal != null ? List.of(literal) : HostAddresses.lookUp(target.resolver, host);
        } catch (UnknownHostException e) {
          loop.execute(() -> then.accept(null, e));
          return;
        } finally {
          lookupsInFlight.decrementAndGet();
        }
        loop.execute(() -> dial(url, ips, 0, null, abandoned, then));
      });
    } catch (RejectedExecutionException e) {
      lookupsInFlight.decrementAndGet();
      then.accept(null, new IOException("Canceled", e));
    }
  }

  /**
   * Connects to {@code ips.get(index)}; when that fails to connect, to the next address
   * ({@link HostAddresses#worthTheNext}), each with the whole connect timeout, as OkHttp did. An
   * attempt that times out meanwhile is abandoned by the canary, which stops this too.
   *
   * @param earlier the first address's failure, once one failed
   */
  private void dial(HttpUrl url, List<InetAddress> ips, int index, Throwable earlier, BooleanSupplier abandoned,
      BiConsumer<PollingConnection, Throwable> then) {
    if (abandoned.getAsBoolean()) {
      then.accept(null, new IOException("Canceled"));
      return;
    }
    if (networkDown.getAsBoolean()) {
      then.accept(null, new NoRouteToHostException("network down (reconnect drill)"));
      return;
    }
    String origin = origin(url);
    PollingConnection[] made = new PollingConnection[1];
    ChannelFuture connecting = new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, target.connectTimeoutMillis))
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            PollingConnection c = new PollingConnection(ch, origin);
            made[0] = c;
            connections.add(c);
            ch.closeFuture().addListener(f -> {
              connections.remove(c);
              keepAlive.remove(c);
            });
            ChannelPipeline p = ch.pipeline();
            if (url.isHttps()) {
              SslHandler tls = target.tls.get().newHandler(ch.alloc(), url.host(), url.port());
              tls.setHandshakeTimeoutMillis(target.connectTimeoutMillis);
              p.addLast("tls", tls);
            }
            p.addLast("first-byte", c.new FirstByte());
            p.addLast("http", new HttpClientCodec(MAX_INITIAL_LINE, MAX_HEADERS, MAX_CHUNK));
            p.addLast("reader", c.new Reader());
          }
        })
        .connect(new InetSocketAddress(ips.get(index), url.port()));
    connecting.addListener(done -> {
      PollingConnection c = made[0];
      if (!done.isSuccess()) {
        Throwable failure = HostAddresses.combined(earlier, done.cause());
        if (index + 1 < ips.size() && HostAddresses.worthTheNext(done.cause())) {
          dial(url, ips, index + 1, failure, abandoned, then);
        } else {
          then.accept(null, failure);
        }
      } else if (abandoned.getAsBoolean()) {
        c.close(false);
        then.accept(null, new IOException("Canceled"));
      } else {
        then.accept(c, null);
      }
    });
  }

  static String origin(HttpUrl url) {
    return url.scheme() + "://" + url.host() + ":" + url.port();
  }
}
