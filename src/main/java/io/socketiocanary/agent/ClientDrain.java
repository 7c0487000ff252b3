package io.socketiocanary.agent;

import io.socket.thread.EventThread;
import io.socketiocanary.client.HttpClients;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Waits for the Socket.IO client to finish what closing the canaries queued: first its
 * EventThread (which turns each close into a DISCONNECT packet and a WebSocket close), then
 * the HTTP calls (the polling POSTs carrying those packets, the WebSockets' closing handshakes).
 * Bounded, because a server that never answers a close must not hold up shutdown.
 */
final class ClientDrain {
  private static final long POLL_MILLIS = 25;

  private ClientDrain() {}

  static Future<Void> await(Vertx vertx, HttpClients http, Duration max) {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + max.toNanos();
    EventThread.exec(() -> vertx.runOnContext(v -> poll(vertx, http, deadline, done)));
    vertx.setTimer(max.toMillis(), id -> done.tryComplete());
    return done.future();
  }

  private static void poll(Vertx vertx, HttpClients http, long deadline, Promise<Void> done) {
    if (http.callsInFlight() == 0 || System.nanoTime() >= deadline) {
      done.tryComplete();
    } else {
      vertx.setTimer(POLL_MILLIS, id -> poll(vertx, http, deadline, done));
    }
  }
}
