package io.socketiocanary.client;

import io.socketiocanary.config.TargetConfig;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    AtomicInteger threads = new AtomicInteger();
    executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, "canary-http-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
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
