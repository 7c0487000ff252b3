package io.socketiocanary.demo;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socketiocanary.client.compat.ManagerEngine;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real io.socket 2.1.2 client in one transport mode that records what happened to it. Its
 * listeners run on the client's EventThread; the recorded lists are safe to read from the test
 * thread.
 */
final class JavaClient implements AutoCloseable {

  /** Times (System.nanoTime) of each connect and disconnect, and the disconnect reasons. */
  final List<Long> connects = new CopyOnWriteArrayList<>();
  final List<Long> disconnects = new CopyOnWriteArrayList<>();
  final List<String> disconnectReasons = new CopyOnWriteArrayList<>();
  final List<Object> connectErrors = new CopyOnWriteArrayList<>();
  final List<String> upgradedTo = new CopyOnWriteArrayList<>();
  final AtomicInteger pings = new AtomicInteger();
  final Socket socket;
  private final Set<Object> engines = Collections.newSetFromMap(new IdentityHashMap<>());

  private JavaClient(Socket socket) {
    this.socket = socket;
  }

  static JavaClient connect(String baseUrl, TransportMode mode) {
    return connect(baseUrl, "/", mode);
  }

  static JavaClient connect(String baseUrl, String namespace, TransportMode mode) {
    IO.Options options = new IO.Options();
    options.forceNew = true;
    options.transports = mode.transports;
    options.upgrade = mode.upgrade;
    options.reconnectionDelay = 200;
    options.randomizationFactor = 0;
    options.timeout = 5_000;
    URI uri = URI.create(baseUrl + ("/".equals(namespace) ? "" : namespace));
    JavaClient client = new JavaClient(IO.socket(uri, options));
    client.listen();
    client.socket.connect();
    return client;
  }

  private void listen() {
    Manager manager = socket.io();
    // The Manager re-emits the engine's "transport" event while it opens each engine: the first
    // moment the new engine can be read, and before its handshake, so no upgrade is missed.
    manager.on(Manager.EVENT_TRANSPORT, args -> {
      io.socket.engineio.client.Socket engine = ManagerEngine.of(manager);
      if (engine != null && engines.add(engine)) {
        engine.on(io.socket.engineio.client.Socket.EVENT_UPGRADE,
            a -> upgradedTo.add(((io.socket.engineio.client.Transport) a[0]).name));
        engine.on(io.socket.engineio.client.Socket.EVENT_PING, a -> pings.incrementAndGet());
      }
    });
    socket.on(Socket.EVENT_CONNECT, args -> connects.add(System.nanoTime()));
    socket.on(Socket.EVENT_DISCONNECT, args -> {
      disconnects.add(System.nanoTime());
      disconnectReasons.add(String.valueOf(args.length > 0 ? args[0] : null));
    });
    socket.on(Socket.EVENT_CONNECT_ERROR, args -> connectErrors.add(args.length > 0 ? args[0] : null));
  }

  /** Emits an event with an ack and completes with the ack's arguments. */
  CompletableFuture<Object[]> emitWithAck(String event, Duration timeout) {
    CompletableFuture<Object[]> acked = new CompletableFuture<>();
    socket.emit(event, new Object[] {"probe"}, (Ack) args -> acked.complete(args));
    return acked.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Milliseconds from the first connect to the first disconnect. */
  long firstLifetimeMillis() {
    return TimeUnit.NANOSECONDS.toMillis(disconnects.get(0) - connects.get(0));
  }

  @Override
  public void close() {
    socket.close();
  }
}
