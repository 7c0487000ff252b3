package io.socketiocanary.client;

import io.socketiocanary.config.TargetConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The agent's HTTP clients, shared by every canary: one OkHttpClient for polling requests, and
 * Netty event loops for WebSockets (see {@link NettyWebSocket} for why not OkHttp's). Own
 * loops, not Vert.x's: in a reconnect storm, 5,000 handshakes must not queue ahead of fleet events.
 *
 * <p>Why not the library's default: socket.io-client builds a default client whose Dispatcher
 * allows 64 concurrent calls and 5 per host. A long-poll holds one for up to pingInterval, so the
 * sixth polling canary against one host would wait behind the others. Here both limits are sized
 * from the fleet. The dispatcher's threads are daemons so a stuck call cannot keep the JVM alive
 * at shutdown.
 *
 * <p>Each long-poll parks one dispatcher thread in a blocking read until the server answers. On
 * Java 21+ those are virtual threads (looked up reflectively: the agent is compiled with
 * {@code --release 17}); on Java 17 it is one platform thread per long-poll in flight. Which one
 * is in use is logged once. WebSockets run on the Netty event loops and cost no thread each.
 *
 * <p>Thread-safe.
 */
public final class HttpClients implements AutoCloseable {
  /**
   * None. OkHttp arms a read timeout through okio's {@code AsyncTimeout}, which keeps every armed
   * timeout in one sorted linked list: an O(n) insert on every socket read, with thousands of
   * long-polls waiting (JFR: the largest remaining share of polling canaries' CPU). A read that
   * never ends is still bounded: before the session opens by Socket.IO's connect timeout, after it
   * by Engine.IO's ping timeout; either closes the engine, and the canary then cancels its calls.
   */
  static final Duration READ_TIMEOUT = Duration.ZERO;

  /**
   * The largest WebSocket message (and frame) a canary accepts: a canary only ever receives pings,
   * acks and its CONNECT, and Socket.IO servers refuse larger ones by default (maxHttpBufferSize);
   * anything bigger fails the connection instead of being buffered. The same bound as polling.
   */
  static final int MAX_WEBSOCKET_MESSAGE_BYTES = (int) ObservedHttp.MAX_POLLING_BODY_BYTES;

  /**
   * Host-name lookups in flight at once for one fleet's WebSockets. The system resolver blocks,
   * so a target whose name never resolves holds its lookup threads for as long as the resolver
   * waits (seconds per try); with one pool for all targets, four such lookups stopped every other
   * target's WebSockets from dialing. Each fleet has its own, gone when idle.
   */
  static final int LOOKUPS_PER_FLEET = 2;

  private final OkHttpClient client;
  private final ExecutorService executor;
  private final EventLoopGroup webSocketLoops;
  private final AtomicInteger openWebSockets = new AtomicInteger();
  /**
   * Polling connections live in {@link #POOLS} pools, a canary's in one of them (its Dns keeps
   * them its own, see ObservedHttp), with an unbounded idle count so no canary loses its
   * keep-alive to another's. Why not one pool: OkHttp looks for a reusable connection, and
   * prunes idle ones, by scanning its pool's every connection, so with 1,500 polling canaries in
   * one pool those scans were 58 % of the agent's CPU at idle (JFR). Why not one per canary: each
   * pool keeps a cleanup task in OkHttp's single TaskRunner, which scans every queue on each
   * wake-up; 5,000 pools cost half a core at idle and collapsed a reconnect storm.
   */
  static final int POOLS = 32;
  private final ConnectionPool[] pools = new ConnectionPool[POOLS];
  private final AtomicInteger nextPool = new AtomicInteger();

  /**
   * @param canaries total canaries of the agent: each may hold up to two calls at once (a
   *     long-poll plus a POST).
   */
  public HttpClients(int canaries) {
    // One per core, daemons (a stuck connection must not keep the JVM alive at shutdown).
    webSocketLoops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
        new DefaultThreadFactory("canary-ws", true), NioIoHandler.newFactory());
    for (int i = 0; i < POOLS; i++) {
      pools[i] = new ConnectionPool(Integer.MAX_VALUE, 1, TimeUnit.MINUTES);
    }
    executor = DispatcherThreads.create();
    Dispatcher dispatcher = new Dispatcher(executor);
    client = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .readTimeout(READ_TIMEOUT)
        .writeTimeout(Duration.ofSeconds(30))
        // Kept on (OkHttp's default), as browsers do: a pooled keep-alive connection that a proxy
        // closed while idle is retried on a fresh one instead of failing the poll with an EOF.
        .retryOnConnectionFailure(true)
        .build();
    resize(canaries);
  }

  /** Sizes the dispatcher for {@code canaries} (after a configuration reload). */
  public void resize(int canaries) {
    int limit = Math.max(64, canaries * 2 + 16);
    client.dispatcher().setMaxRequests(limit);
    client.dispatcher().setMaxRequestsPerHost(limit);
  }

  /** The clients for one target: shared pools, with the target's connect timeout and TLS trust. */
  public TargetClients forTarget(TargetConfig target) {
    TargetTls tls = TargetTls.of(target.tls());
    OkHttpClient polling = tls.apply(client.newBuilder().connectTimeout(target.connectTimeout())).build();
    // The engine builds its URLs from the target's, so only an https target dials TLS.
    SslContext webSocketTls = "https".equalsIgnoreCase(target.url().getScheme()) ? tls.nettyContext() : null;
    WebSocketDialer webSockets = new WebSocketDialer(webSocketLoops, nameLookups(target), target, webSocketTls,
        openWebSockets::incrementAndGet, openWebSockets::decrementAndGet);
    return new TargetClients(polling, this::nextPool, webSockets);
  }

  /** The pool for one more canary's polling connections: round robin, so they stay even. */
  private ConnectionPool nextPool() {
    return pools[Math.floorMod(nextPool.getAndIncrement(), POOLS)];
  }

  /**
   * Polling calls queued or running plus WebSockets not yet finished (handshaking, open or
   * closing): a canary that is gone must leave none behind.
   */
  public int callsInFlight() {
    return client.dispatcher().runningCallsCount() + client.dispatcher().queuedCallsCount() + openWebSockets.get();
  }

  /** The event loops every WebSocket canary's I/O runs on; for the self-watch. */
  EventLoopGroup webSocketLoops() {
    return webSocketLoops;
  }

  /** One fleet's WebSocket host-name lookups: daemon threads of its own, none while idle. */
  private static ThreadPoolExecutor nameLookups(TargetConfig target) {
    ThreadPoolExecutor lookups = new ThreadPoolExecutor(LOOKUPS_PER_FLEET, LOOKUPS_PER_FLEET, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), new DefaultThreadFactory("canary-dns-" + target.name(), true));
    lookups.allowCoreThreadTimeOut(true);
    return lookups;
  }

  /** The threads polling calls run on; for the self-watch. */
  java.util.concurrent.Executor callThreads() {
    return executor;
  }

  /** WebSockets handshaking, open or closing. */
  public int openWebSockets() {
    return openWebSockets.get();
  }

  @Override
  public void close() {
    client.dispatcher().cancelAll();
    executor.shutdownNow();
    for (ConnectionPool pool : pools) {
      pool.evictAll();
    }
    webSocketLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
