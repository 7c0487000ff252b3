package io.socketiocanary.client.polling;

import io.netty.channel.EventLoopGroup;
import io.socketiocanary.client.dial.HostAddresses;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What one target's polling canaries share: the agent's canary event loops, the fleet's own
 * host-name lookup threads and resolver, the target's TLS trust and connect timeout. Each canary
 * gets its own {@link PollingCalls} from it. Immutable and thread-safe.
 */
public final class PollingTarget {
  /**
   * The largest polling answer a canary reads. engine.io-client reads a poll's whole body into a
   * String; a canary only ever receives pings, acks and its CONNECT, so anything near this is a
   * broken or hostile server, and an endless body would otherwise be buffered until the heap is gone.
   */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  final EventLoopGroup loops;
  final Executor lookups;
  final HostAddresses.Resolver resolver;
  final LazySslContext tls;
  final long connectTimeoutMillis;
  /** Agent-wide: calls not yet ended, of every target. */
  final AtomicInteger inFlight;

  /**
   * @param loops where every connection's I/O runs (never a blocking call there)
   * @param lookups where host names are looked up (the system resolver blocks)
   * @param resolver how, on those threads ({@link HostAddresses#SYSTEM} but in tests)
   * @param tls for https URLs (an http target may redirect to one), built when first needed
   * @param connectTimeoutMillis for the TCP connect and, again, for the TLS handshake
   * @param inFlight counts calls from enqueue to their end, for the agent's drain at shutdown
   */
  public PollingTarget(EventLoopGroup loops, Executor lookups, HostAddresses.Resolver resolver, LazySslContext tls,
      long connectTimeoutMillis, AtomicInteger inFlight) {
    this.loops = loops;
    this.lookups = lookups;
    this.resolver = resolver;
    this.tls = tls;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.inFlight = inFlight;
  }

  /**
   * One canary's call factory, on one event loop of the group.
   *
   * @param networkDown true while a drill holds the canary's network down: new connections fail
   * @param observer sees every final answer before the engine does
   */
  public PollingCalls forCanary(BooleanSupplier networkDown, PollingCalls.Observer observer) {
    return new PollingCalls(this, loops.next(), networkDown, observer);
  }
}
