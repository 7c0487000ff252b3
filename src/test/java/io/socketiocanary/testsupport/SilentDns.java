package io.socketiocanary.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server that reads every query and answers none: a resolver that hangs, as one does when
 * its upstream is gone. It listens on port 53 of a loopback address of its own (in 127.83.0.0/16),
 * so it needs root, never collides with a local resolver, and no query leaves the machine. Give its
 * {@link #address()} to {@link AgentProcess.Builder#nameserver}. Owns its socket and one daemon thread.
 */
public final class SilentDns implements AutoCloseable {
  private final DatagramSocket socket;
  private final AtomicInteger queries = new AtomicInteger();
  private final Thread reader;

  /** On port 53 of a random address in 127.83.0.0/16, so that runs side by side do not collide. */
  public SilentDns() {
    socket = bind();
    reader = new Thread(this::read, "silent-dns");
    reader.setDaemon(true);
    reader.start();
  }

  private static DatagramSocket bind() {
    java.util.Random random = new java.util.Random();
    IOException last = null;
    for (int i = 0; i < 20; i++) {
      String address = "127.83." + random.nextInt(256) + "." + (1 + random.nextInt(254));
      try {
        return new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 53));
      } catch (IOException e) {
        last = e;
      }
    }
    throw new UncheckedIOException("cannot listen on port 53 of any 127.83.x.y address (root needed)", last);
  }

  public String address() {
    return socket.getLocalAddress().getHostAddress();
  }

  /** Queries received so far, none answered. */
  public int queries() {
    return queries.get();
  }

  private void read() {
    byte[] buffer = new byte[512];
    while (!socket.isClosed()) {
      try {
        socket.receive(new DatagramPacket(buffer, buffer.length));
        queries.incrementAndGet();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
