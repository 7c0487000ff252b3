package io.socketiocanary.client;

import io.socketiocanary.config.TargetConfig;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The agent's one OkHttpClient, shared by every canary.
 *
 * <p>Why not the library's default: socket.io-client builds a default client whose Dispatcher
 * allows 64 concurrent calls and 5 per host. An open WebSocket holds a call for its whole life
 * and a long-poll holds one for up to pingInterval, so canary 65 against one host would never
 * connect. Here both limits are sized from the fleet. The dispatcher's threads are daemons so a
 * stuck call cannot keep the JVM alive at shutdown.
 *
 * <p>Each open WebSocket parks one dispatcher thread in its blocking reader loop for its whole
 * life. On Java 21+ those are virtual threads (looked up reflectively: the agent is compiled with
 * {@code --release 17}), so 5,000 WebSocket canaries cost no OS thread each; on Java 17 it is one
 * platform thread per open WebSocket or long-poll. Which one is in use is logged once.
 *
 * <p>Thread-safe.
 */
public final class HttpClients implements AutoCloseable {
  /** A long-poll is held for up to pingInterval; this must exceed any sane server setting. */
  static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

  private final OkHttpClient client;
  private final ExecutorService executor;

  /**
   * @param canaries total canaries of the agent: each may hold up to two calls at once (a
   *     long-poll plus a POST, or a WebSocket plus its upgrade probe).
   */
  public HttpClients(int canaries) {
    executor = DispatcherThreads.create();
    Dispatcher dispatcher = new Dispatcher(executor);
    client = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        // Shared by every canary (each canary's Dns keeps its connections its own, see
        // ObservedHttp); unbounded idle count so no canary loses its keep-alive to another's.
        .connectionPool(new ConnectionPool(Integer.MAX_VALUE, 1, TimeUnit.MINUTES))
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

  /** A client for one target: shares the dispatcher, with the target's connect timeout and TLS trust. */
  public OkHttpClient forTarget(TargetConfig target) {
    return TargetTls.apply(client.newBuilder().connectTimeout(target.connectTimeout()), target.tls()).build();
  }

  /** Calls queued or running: a canary that is gone must leave none behind. */
  public int callsInFlight() {
    return client.dispatcher().runningCallsCount() + client.dispatcher().queuedCallsCount();
  }

  @Override
  public void close() {
    client.dispatcher().cancelAll();
    executor.shutdownNow();
    client.connectionPool().evictAll();
  }
}
