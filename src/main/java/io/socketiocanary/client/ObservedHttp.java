package io.socketiocanary.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dns;
import okhttp3.EventListener;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * The HTTP side of one canary connection: the call and WebSocket factories handed to the
 * Socket.IO client, which see every status and error body the client would throw away. Polling
 * runs on OkHttp, WebSockets on Netty ({@link NettyWebSocket}, which also answers graceful
 * closes the engine would otherwise notice only at the next ping timeout).
 *
 * <p>Thread-safe: OkHttp calls it from its dispatcher threads, Netty from its event loops; the
 * canary reads the last failure from the client's EventThread.
 */
final class ObservedHttp {
  /** Enough for any Engine.IO error body or proxy error page's first line. */
  private static final long BODY_PEEK_BYTES = 1024;
  /**
   * The largest polling answer a canary reads. engine.io-client reads a poll's whole body into a
   * String; a canary only ever receives pings, acks and its CONNECT, so anything near this is a
   * broken or hostile server, and an endless body would otherwise be buffered until the heap is gone.
   */
  static final long MAX_POLLING_BODY_BYTES = 1024 * 1024;

  private final OkHttpClient sharedPolling;
  private final Supplier<ConnectionPool> pools;
  /** This canary's polling client, built on first use: a WebSocket-only canary never needs one. */
  private volatile OkHttpClient client;
  private final String origin;
  private final AtomicReference<HttpFailure> lastFailure = new AtomicReference<>();
  /** Polling host-name lookups waiting for the resolver (see {@link #resolving()}). */
  private final AtomicInteger lookupsInFlight = new AtomicInteger();
  private final TrackedSockets sockets = new TrackedSockets();
  private final WebSocketDialer dialer;
  private final Set<NettyWebSocket> webSockets = ConcurrentHashMap.newKeySet();
  /** This canary's polling calls not yet ended, so cancelling them never scans the shared dispatcher. */
  private final Set<Call> calls = ConcurrentHashMap.newKeySet();

  /** @param origin the browser origin whose CORS rules polling answers must satisfy; "" for none */
  ObservedHttp(TargetClients clients, String origin) {
    this.origin = origin;
    this.dialer = clients.webSockets();
    this.sharedPolling = clients.polling();
    this.pools = clients.pools();
  }

  private OkHttpClient client() {
    OkHttpClient built = client;
    if (built == null) {
      synchronized (this) {
        built = client;
        if (built == null) {
          built = buildClient();
          client = built;
        }
      }
    }
    return built;
  }

  private OkHttpClient buildClient() {
    // Canaries share pools (see HttpClients.POOLS) but never each other's connections, as
    // separate browsers: OkHttp reuses a pooled connection only for an equal Address, and an
    // Address compares its Dns by identity, so each canary gets a Dns instance of its own. (The
    // socket factory is not part of the Address, so without this a drill on one canary would cut
    // another's reused connection.)
    return sharedPolling.newBuilder()
        .connectionPool(pools.get())
        .addInterceptor(this::observe)
        .socketFactory(sockets)
        .dns(new OwnDns(lookupsInFlight))
        .eventListener(new CallTracker())
        .build();
  }

  /** Every call is tracked until it ends, so {@link #cancelCalls()} finds this canary's calls. */
  Call.Factory callFactory() {
    return request -> {
      Call call = client().newCall(request);
      calls.add(call);
      return call;
    };
  }

  WebSocket.Factory webSocketFactory() {
    return new WebSocket.Factory() {
      @Override
      public WebSocket newWebSocket(Request request, WebSocketListener listener) {
        if (sockets.networkDown()) {
          return dialer.refuse(request, listener, new NoRouteToHostException("network down (reconnect drill)"));
        }
        NettyWebSocket ws = dialer.create(request, listener,
            rejected -> lastFailure.set(HttpFailure.fromAnswer(rejected.code(), peek(rejected), true)),
            webSockets::remove);
        webSockets.add(ws);
        dialer.connect(ws);
        return ws;
      }
    };
  }

  /**
   * Cancels this canary's queued and running calls and unfinished WebSockets. engine.io-client
   * never cancels a request of an engine it has closed: a long-poll to a server that trickles
   * bytes would run forever (polling has no read timeout, see {@link HttpClients#READ_TIMEOUT}),
   * one more per retry; a WebSocket handshake would hold its channel until its own timeout.
   * Returns how many were cancelled.
   */
  int cancelCalls() {
    int cancelled = 0;
    for (NettyWebSocket ws : webSockets) {
      if (!ws.finished()) {
        ws.cancel();
        cancelled++;
      }
    }
    for (Call call : calls) {
      calls.remove(call);
      if (!call.isCanceled()) {
        call.cancel();
        cancelled++;
      }
    }
    return cancelled;
  }

  /** Resets every TCP connection of this canary; returns how many were cut. */
  int cutConnections() {
    int cut = sockets.cutAll();
    for (NettyWebSocket ws : webSockets) {
      if (ws.reset()) {
        cut++;
      }
    }
    return cut;
  }

  void networkUp() {
    sockets.networkUp();
  }

  /** Takes the failure seen since the last call: each failed attempt is judged on its own. */
  HttpFailure takeLastFailure() {
    return lastFailure.getAndSet(null);
  }

  void clearLastFailure() {
    lastFailure.set(null);
  }

  private Response observe(Interceptor.Chain chain) throws IOException {
    // Only polling requests pass here: WebSockets are Netty's (NettyWebSocket).
    Response response = chain.proceed(chain.request());
    if (!response.isSuccessful()) {
      lastFailure.set(HttpFailure.fromAnswer(response.code(), peek(response), false));
    } else if (!origin.isEmpty()) {
      String allowed = response.header("Access-Control-Allow-Origin");
      if (!origin.equals(allowed) && !"*".equals(allowed)) {
        // A browser at `origin` would not let the page read this answer: fail the request the
        // same way, so a polling path broken by CORS is not reported healthy.
        String why = allowed == null
            ? "polling answer has no Access-Control-Allow-Origin for " + origin
            : "polling answer allows origin " + allowed + ", not " + origin;
        lastFailure.set(new HttpFailure(response.code(), OptionalInt.empty(), why, false, true));
        response.close();
        throw new IOException("blocked by CORS: " + why);
      }
    }
    if (response.body() != null) {
      return response.newBuilder().body(new LimitedBody(response.body(), MAX_POLLING_BODY_BYTES)).build();
    }
    return response;
  }

  /** Forgets a call once OkHttp is done with it (body read or closed, failed, or cancelled). */
  private final class CallTracker extends EventListener {
    @Override
    public void callEnd(Call call) {
      calls.remove(call);
    }

    @Override
    public void callFailed(Call call, IOException ioe) {
      calls.remove(call);
    }
  }

  /**
   * True while one of this canary's host-name lookups (polling or WebSocket) is still waiting for
   * the resolver: an attempt that times out then timed out in DNS, not at the server.
   */
  boolean resolving() {
    return lookupsInFlight.get() > 0 || webSockets.stream().anyMatch(NettyWebSocket::resolving);
  }

  /**
   * The system resolver, as an instance no other canary's Address equals, counting the lookups
   * in flight so that a timeout in DNS is told from one at the server.
   */
  private static final class OwnDns implements Dns {
    private final AtomicInteger inFlight;

    OwnDns(AtomicInteger inFlight) {
      this.inFlight = inFlight;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
      inFlight.incrementAndGet();
      try {
        return Dns.SYSTEM.lookup(hostname);
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  private static String peek(Response response) {
    try {
      return response.peekBody(BODY_PEEK_BYTES).string();
    } catch (IOException | IllegalStateException e) {
      return "";
    }
  }
}
