package io.socketiocanary.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.socketiocanary.client.compat.EventThreadLoop;
import io.socketiocanary.client.dial.HostAddresses;
import io.socketiocanary.client.polling.LazySslContext;
import io.socketiocanary.client.polling.PollingTarget;
import io.socketiocanary.config.TargetConfig;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP clients, shared by every canary: Netty event loops for polling requests
 * ({@link io.socketiocanary.client.polling.PollingCalls}), one loop per core, and for WebSockets
 * ({@link NettyWebSocket}), one loop that is also the client library's EventThread
 * ({@link EventThreadLoop}; one per core if the library's internals changed). Own loops, not
 * Vert.x's: in a reconnect storm, 5,000 handshakes must not queue ahead of fleet events. Two
 * groups, not one: polling I/O (a reconnect storm of long-polls, a server sending 1 MiB answers)
 * runs apart from WebSocket I/O, and the self-watch reports each on its own {@code loop} label;
 * what the library then does with each answer runs on its EventThread, which every canary's
 * events wait for anyway. No thread per call or per connection in either group: OkHttp's
 * dispatcher held one per long-poll (~1,800 platform threads at 5,000 mixed canaries on Java 17).
 * Threads are daemons, so a stuck connection cannot keep the JVM alive at shutdown.
 *
 * <p>Thread-safe.
 */
public final class HttpClients implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpClients.class);
  /**
   * The largest WebSocket message (and frame) a canary accepts: a canary only ever receives pings,
   * acks and its CONNECT, and Socket.IO servers refuse larger ones by default (maxHttpBufferSize);
   * anything bigger fails the connection instead of being buffered. The same bound as polling.
   */
  static final int MAX_WEBSOCKET_MESSAGE_BYTES = PollingTarget.MAX_BODY_BYTES;

  /**
   * Host-name lookups in flight at once for one fleet (its polling and WebSocket connections
   * alike). The system resolver blocks, so a target whose name never resolves holds its lookup
   * threads for as long as the resolver waits (seconds per try); with one pool for all targets,
   * four such lookups stopped every other target's WebSockets from dialing. Each fleet has its
   * own, gone when idle.
   */
  static final int LOOKUPS_PER_FLEET = 2;

  private final EventLoopGroup pollingLoops;
  private final EventLoopGroup webSocketLoops;
  /** Present while {@link #webSocketLoops} is the library's EventThread. */
  private final Optional<EventThreadLoop.Installed> eventThreadLoop;
  private final AtomicInteger pollingCalls = new AtomicInteger();
  private final AtomicInteger openWebSockets = new AtomicInteger();

  public HttpClients() {
    int cores = Runtime.getRuntime().availableProcessors();
    pollingLoops = new MultiThreadIoEventLoopGroup(cores, new DefaultThreadFactory("canary-poll", true),
        NioIoHandler.newFactory());
    // Where it can, the WebSockets' one loop is the client library's EventThread: a ping is read,
    // handled and answered on one thread, not three (EventThreadLoop).
    eventThreadLoop = EventThreadLoop.install();
    webSocketLoops = eventThreadLoop.map(EventThreadLoop.Installed::group).orElseGet(() ->
        new MultiThreadIoEventLoopGroup(cores, new DefaultThreadFactory("canary-ws", true), NioIoHandler.newFactory()));
    if (eventThreadLoop.isEmpty() && EventThreadLoop.unavailableBecause() == null) {
      // The library's internals are as expected (no WARN at start), yet its EventThread was
      // already running: another client in this JVM holds it. Same cost as the fallback.
      log.info("the client's EventThread is already running; WebSockets get loops of their own (three wake-ups per ping)");
    }
  }

  /** The clients for one target: the shared loops, with the target's connect timeout, TLS trust and lookup threads. */
  public TargetClients forTarget(TargetConfig target) {
    TargetTls trust = TargetTls.of(target.tls());
    // The engine builds its URLs from the target's, so only an https target dials TLS: its context
    // is built now, for its WebSockets and polls alike (a broken trust fails the target at once).
    // An http target's polls build one only if a redirect sends them to https.
    LazySslContext tls = new LazySslContext(trust::nettyContext);
    SslContext webSocketTls = "https".equalsIgnoreCase(target.url().getScheme()) ? tls.get() : null;
    ThreadPoolExecutor lookups = nameLookups(target);
    PollingTarget polling = new PollingTarget(pollingLoops, lookups, HostAddresses.SYSTEM, tls,
        target.connectTimeout().toMillis(), pollingCalls);
    WebSocketDialer webSockets = new WebSocketDialer(webSocketLoops, lookups, HostAddresses.SYSTEM, target, webSocketTls,
        openWebSockets::incrementAndGet, openWebSockets::decrementAndGet);
    // Reconnect delays and connect timeouts: a queue entry on a WebSocket loop each, no thread.
    return new TargetClients(polling, webSockets, webSocketLoops);
  }

  /**
   * Polling calls not yet ended plus WebSockets not yet finished (handshaking, open or closing): a
   * canary that is gone must leave none behind.
   */
  public int callsInFlight() {
    return pollingCalls.get() + openWebSockets.get();
  }

  /** The event loops every WebSocket canary's I/O runs on; for the self-watch. */
  EventLoopGroup webSocketLoops() {
    return webSocketLoops;
  }

  /** The event loops every polling canary's I/O runs on; for the self-watch. */
  EventLoopGroup pollingLoops() {
    return pollingLoops;
  }

  /** One fleet's host-name lookups: daemon threads of its own, none while idle. */
  private static ThreadPoolExecutor nameLookups(TargetConfig target) {
    ThreadPoolExecutor lookups = new ThreadPoolExecutor(LOOKUPS_PER_FLEET, LOOKUPS_PER_FLEET, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), new DefaultThreadFactory("canary-dns-" + target.name(), true));
    lookups.allowCoreThreadTimeOut(true);
    return lookups;
  }

  /** Polling calls enqueued and not yet ended. */
  public int pollingCalls() {
    return pollingCalls.get();
  }

  /** WebSockets handshaking, open or closing. */
  public int openWebSockets() {
    return openWebSockets.get();
  }

  @Override
  public void close() {
    pollingLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    eventThreadLoop.ifPresentOrElse(EventThreadLoop.Installed::close,
        () -> webSocketLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS));
  }
}
