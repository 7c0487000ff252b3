package io.socketiocanary.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks free TCP ports on 127.0.0.1 for servers the tests start. A port is free when picked and
 * is never handed out twice in one JVM, which keeps two servers of one test apart; another
 * process could still take it in between, a race the tests accept. Thread-safe.
 */
public final class FreePorts {

  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePorts() {}

  /** A port that was free on 127.0.0.1 a moment ago and was not returned before. */
  public static synchronized int pick() {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (HANDED_OUT.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind an ephemeral port on 127.0.0.1", e);
      }
    }
    throw new IllegalStateException("no fresh free port after 50 attempts");
  }
}
