package io.socketiocanary.client;

import io.socketiocanary.client.polling.PollingCalls;
import io.socketiocanary.client.polling.PollingTarget;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * The HTTP side of one canary connection: the call and WebSocket factories handed to the
 * Socket.IO client, which see every status and error body the client would throw away. Both run
 * on Netty: polling on {@link PollingCalls}, WebSockets on {@link NettyWebSocket} (which also
 * answers graceful closes the engine would otherwise notice only at the next ping timeout).
 *
 * <p>Thread-safe: Netty calls it from its event loops; the canary reads the last failure from the
 * client's EventThread, and cuts or cancels from its fleet's loop.
 */
final class ObservedHttp {
  private final PollingTarget pollingTarget;
  /** This canary's polling calls, made on first use: a WebSocket-only canary never needs them. */
  private volatile PollingCalls polling;
  private final String origin;
  private final AtomicReference<HttpFailure> lastFailure = new AtomicReference<>();
  private final WebSocketDialer dialer;
  private final Set<NettyWebSocket> webSockets = ConcurrentHashMap.newKeySet();
  /**
   * Between a drill's cut and {@link #networkUp()}: new connections fail. Without the blackout a
   * long-poll interrupted on a reused connection would be retried quietly on a fresh one (as a
   * browser retries a reused connection), and a drill on polling would go unnoticed. A real
   * network loss fails the retry too.
   */
  private volatile boolean networkDown;

  /** @param origin the browser origin whose CORS rules polling answers must satisfy; "" for none */
  ObservedHttp(TargetClients clients, String origin) {
    this.origin = origin;
    this.dialer = clients.webSockets();
    this.pollingTarget = clients.polling();
  }

  private PollingCalls polling() {
    PollingCalls made = polling;
    if (made == null) {
      synchronized (this) {
        made = polling;
        if (made == null) {
          made = pollingTarget.forCanary(() -> networkDown, this::observe);
          polling = made;
        }
      }
    }
    return made;
  }

  Call.Factory callFactory() {
    return request -> polling().newCall(request);
  }

  WebSocket.Factory webSocketFactory() {
    return new WebSocket.Factory() {
      @Override
      public WebSocket newWebSocket(Request request, WebSocketListener listener) {
        if (networkDown) {
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
   * Cancels this canary's polling calls and unfinished WebSockets. engine.io-client never cancels
   * a request of an engine it has closed: a long-poll to a server that trickles bytes would run
   * forever (polling has no read timeout), one more per retry; a WebSocket handshake would hold
   * its channel until its own timeout. Returns how many were cancelled.
   */
  int cancelCalls() {
    int cancelled = 0;
    for (NettyWebSocket ws : webSockets) {
      if (!ws.finished()) {
        ws.cancel();
        cancelled++;
      }
    }
    PollingCalls calls = polling;
    return calls == null ? cancelled : cancelled + calls.cancelAll();
  }

  /**
   * Cancels what is in flight and closes the idle keep-alive connections: the connection is
   * discarded, so nothing will reuse them. Returns how many calls were cancelled.
   */
  int release() {
    int cancelled = cancelCalls();
    PollingCalls calls = polling;
    if (calls != null) {
      calls.closeIdle();
    }
    return cancelled;
  }

  /** Resets every TCP connection of this canary and holds its network down; returns how many were cut. */
  int cutConnections() {
    networkDown = true;
    PollingCalls calls = polling;
    int cut = calls == null ? 0 : calls.cutAll();
    for (NettyWebSocket ws : webSockets) {
      if (ws.reset()) {
        cut++;
      }
    }
    return cut;
  }

  void networkUp() {
    networkDown = false;
  }

  /** Takes the failure seen since the last call: each failed attempt is judged on its own. */
  HttpFailure takeLastFailure() {
    return lastFailure.getAndSet(null);
  }

  void clearLastFailure() {
    lastFailure.set(null);
  }

  /** Every final polling answer (after redirects), on the canary's event loop. */
  private void observe(Response response) throws IOException {
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
        throw new IOException("blocked by CORS: " + why);
      }
    }
  }

  /**
   * True while one of this canary's host-name lookups (polling or WebSocket) is still waiting for
   * the resolver: an attempt that times out then timed out in DNS, not at the server.
   */
  boolean resolving() {
    PollingCalls calls = polling;
    return calls != null && calls.resolving() || webSockets.stream().anyMatch(NettyWebSocket::resolving);
  }

  /** The first bytes of an answer's body (an Engine.IO error body, a proxy's page): all its facts need. */
  private static String peek(Response response) {
    try {
      return response.peekBody(1024).string();
    } catch (IOException | IllegalStateException e) {
      return "";
    }
  }
}
