package io.socketiocanary.diagnose;

/**
 * The field guide's fix directions, worded once so every check and the README say the same.
 * Exact proxy directives, because an on-call engineer pastes them.
 */
final class Fixes {
  static final String PROXY_UPGRADE = "the proxy must forward the WebSocket upgrade. nginx: "
      + "proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection \"upgrade\"; "
      + "HAProxy (mode http passes it): use option http-keep-alive, not option http-server-close, and timeout tunnel 3600s; "
      + "check a WAF or CDN in front that strips Upgrade";
  static final String STICKY = "enable sticky sessions so every request of one session reaches the same backend: "
      + "nginx upstream { ip_hash; } (or hash $remote_addr;), HAProxy balance source or a cookie "
      + "(cookie SERVERID insert indirect nocache); or let clients use transports: ['websocket'] only";
  static final String PROTOCOL = "client and server major versions differ: upgrade the server to socket.io 4 "
      + "(allowEIO3: true on a v4 server keeps v2 clients working meanwhile) or use a v2 client; never mix v2 and v4";
  static final String PATH = "nothing answers at this path: check --path against the server's `path` option "
      + "(default /socket.io) and the proxy's location block (a proxy_pass with a URI part rewrites the path)";
  static final String AUTH = "the server's middleware rejects the token (socket.handshake.auth.token is checked on "
      + "every connect and reconnect): refresh it before it expires, or allow a grace period for reconnects";
  static final String NAMESPACE = "the server has no such namespace: make client and server agree "
      + "(io.of(\"/name\") on the server, the same namespace on the client)";
  static final String REJECTED = "the server's middleware rejected the connect: its message above says why";
  static final String NO_PINGS = "the server sent no ping in time: its event loop is blocked or overloaded, or "
      + "something on the path buffers frames (nginx: proxy_buffering off;); clients see \"ping timeout\"";
  static final String POLLING_DISABLED = "the server does not accept HTTP long-polling, so default clients "
      + "(polling first) cannot connect: enable both transports on the server or set transports: ['websocket'] on clients";
  static final String WEBSOCKET_DISABLED = "the server does not accept WebSocket: enable it "
      + "(transports: ['polling', 'websocket']) or every client stays on long-polling";

  static final String RECOVERY_OFF = "to offer it (Socket.IO >= 4.6): new Server(httpServer, { connectionStateRecovery: "
      + "{ maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true } }), with an adapter that supports it";
  static final String RECOVERY_NO_EVENT = "run it again while the app emits events to this namespace (io.emit or a "
      + "room broadcast; the server adds the offset to broadcasts only), or add one for testing: "
      + "setInterval(() => io.emit(\"tick\", Date.now()), 1000)";
  static final String RECOVERY_LOST = "a reconnect must reach the server holding the session, within its lifetime: "
      + "enable sticky sessions (nginx upstream { ip_hash; } or hash $remote_addr;, HAProxy balance source or a cookie), "
      + "and with several servers use an adapter that supports recovery (the Redis Streams or MongoDB adapter; the "
      + "classic Redis adapter does not); raise connectionStateRecovery.maxDisconnectionDuration above real outages; "
      + "a middleware that rejects the recovery handshake: skipMiddlewares: true";
  static final String RECOVERY_MIDDLEWARE = "a middleware rejects the reconnect that offers the session: set "
      + "connectionStateRecovery.skipMiddlewares: true (a recovered session then skips the middlewares), or make the "
      + "middleware accept a reconnect with the same credentials";

  private Fixes() {}

  /** The proxy idle timeout fix, with the server's own ping budget as the floor. */
  static String idleTimeout(long pingBudgetMs) {
    return "raise the proxy's idle timeout well above pingInterval + pingTimeout (" + pingBudgetMs + " ms): "
        + "nginx proxy_read_timeout 3600s; proxy_send_timeout 3600s; HAProxy timeout tunnel 3600s "
        + "(and timeout server above pingInterval for long-polls); cloud load balancers: their idle timeout";
  }

  static String cors(String origin) {
    return "allow the origin " + origin + " on the server (Socket.IO: cors: { origin: [\"" + origin + "\"] }) "
        + "for the polling path too, GET and POST; a proxy that adds CORS headers must send "
        + "Access-Control-Allow-Origin equal to the origin (not * with credentials)";
  }
}
