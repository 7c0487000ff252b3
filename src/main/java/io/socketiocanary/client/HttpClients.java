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
 * The agent's HTTP clients, shared by every canary: the Netty event loops all canary I/O runs on,
 * WebSockets ({@link NettyWebSocket}) and polling requests
 * ({@link io.socketiocanary.client.polling.PollingCalls}) alike. Where it can, that is one loop,
 * which is also the client library's EventThread ({@link EventThreadLoop}): a packet is read,
 * handed to the library and answered on one thread, with no hand-off between threads.
 *
 * <p>For a polling canary the hand-offs were a large part of a ping cycle's cost once C2 compiled
 * the rest: on loops of polling's own, the long-poll's answer was read there and handed to the
 * EventThread, the pong's POST and the next GET were handed back, and the POST's answer handed
 * over again. 5,000 mixed canaries with the large-fleet flags, alternated: Java 17 idle 3.81–4.20 %
 * of a core on loops of polling's own (four runs; the loops and the EventThread switched in
 * 459–486 times a second) against 2.94–4.17 % on the one loop (148–169 a second), Java 25
 * 4.20–4.86 % against 3.73–4.26 % (two runs), storms as fast (docs/performance.md, "Polling
 * on the EventThread"). What it costs: a target that sends large answers is decoded on the thread
 * every canary's events run on, which already parses each answer whole (the library reads it
 * there).
 *
 * <p>If the library's internals changed, all canary I/O runs on one loop per core instead, beside
 * the library's own EventThread. Own loops, not Vert.x's: in a reconnect storm, 5,000 handshakes
 * must not queue ahead of fleet events. No thread per call or per connection: OkHttp's dispatcher
 * held one per long-poll (~1,800 platform threads at 5,000 mixed canaries on Java 17). Threads are
 * daemons, so a stuck connection cannot keep the JVM alive at shutdown.
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

  private final EventLoopGroup loops;
  /** Present while {@link #loops} is the library's EventThread. */
  private final Optional<EventThreadLoop.Installed> eventThreadLoop;
  private final AtomicInteger pollingCalls = new AtomicInteger();
  private final AtomicInteger openWebSockets = new AtomicInteger();

  public HttpClients() {
    eventThreadLoop = EventThreadLoop.install();
    loops = eventThreadLoop.map(EventThreadLoop.Installed::group).orElseGet(() -> new MultiThreadIoEventLoopGroup(
        Runtime.getRuntime().availableProcessors(), new DefaultThreadFactory("canary-io", true),
        NioIoHandler.newFactory()));
    if (eventThreadLoop.isEmpty() && EventThreadLoop.unavailableBecause() == null) {
      // The library's internals are as expected (no WARN at start), yet its EventThread was
      // already running: another client in this JVM holds it. Same cost as the fallback.
      log.info("the client's EventThread is already running; canary I/O gets loops of its own"
          + " (hand-offs to it for every packet)");
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
    PollingTarget polling = new PollingTarget(loops, lookups, HostAddresses.SYSTEM, tls,
        target.connectTimeout().toMillis(), pollingCalls);
    WebSocketDialer webSockets = new WebSocketDialer(loops, lookups, HostAddresses.SYSTEM, target, webSocketTls,
        openWebSockets::incrementAndGet, openWebSockets::decrementAndGet);
    // Reconnect delays and connect timeouts: a queue entry on a loop each, no thread.
    return new TargetClients(polling, webSockets, loops);
  }

  /**
   * Polling calls not yet ended plus WebSockets not yet finished (handshaking, open or closing): a
   * canary that is gone must leave none behind.
   */
  public int callsInFlight() {
    return pollingCalls.get() + openWebSockets.get();
  }

  /** The event loops every canary's I/O runs on; for the self-watch. */
  EventLoopGroup loops() {
    return loops;
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
    eventThreadLoop.ifPresentOrElse(EventThreadLoop.Installed::close,
        () -> loops.shutdownGracefully(0, 1, TimeUnit.SECONDS));
  }
}
