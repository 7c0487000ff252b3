package io.socketiocanary.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;

/**
 * The TCP sockets of one canary connection, so a drill can cut them the way a network does: an
 * abrupt close with a reset (SO_LINGER 0), no WebSocket close frame, no Socket.IO DISCONNECT.
 * (That canaries never reuse each other's pooled connections is {@link ObservedHttp}'s Dns per
 * canary: OkHttp's pool does not compare socket factories.)
 *
 * <p>Thread-safe.
 */
final class TrackedSockets extends SocketFactory {
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean networkDown;

  /**
   * Resets every open socket and fails new connections until {@link #networkUp()}: without the
   * blackout OkHttp would quietly retry an interrupted long-poll on a fresh connection (as a
   * browser retries a reused connection), and a drill on polling would go unnoticed. A real
   * network loss fails the retry too. Returns how many sockets were cut.
   */
  int cutAll() {
    networkDown = true;
    int cut = 0;
    for (Socket socket : open) {
      try {
        socket.setSoLinger(true, 0);
      } catch (SocketException e) {
        // Already closed: nothing to cut.
      }
      try {
        socket.close();
        cut++;
      } catch (IOException ignored) {
        // Closing is all we wanted.
      }
      open.remove(socket);
    }
    return cut;
  }

  void networkUp() {
    networkDown = false;
  }

  /** True between {@link #cutAll()} and {@link #networkUp()}: WebSockets must fail to connect too. */
  boolean networkDown() {
    return networkDown;
  }

  @Override
  public Socket createSocket() {
    if (networkDown) {
      return new Socket() {
        @Override
        public void connect(java.net.SocketAddress endpoint, int timeout) throws IOException {
          throw new java.net.NoRouteToHostException("network down (reconnect drill)");
        }
      };
    }
    Socket socket = new Socket() {
      @Override
      public synchronized void close() throws IOException {
        open.remove(this);
        super.close();
      }
    };
    open.add(socket);
    return socket;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    throw new UnsupportedOperationException("OkHttp creates unconnected sockets");
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
    throw new UnsupportedOperationException("OkHttp creates unconnected sockets");
  }

  @Override
  public Socket createSocket(InetAddress host, int port) {
    throw new UnsupportedOperationException("OkHttp creates unconnected sockets");
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
    throw new UnsupportedOperationException("OkHttp creates unconnected sockets");
  }
}
