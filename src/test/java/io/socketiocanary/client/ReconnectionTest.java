package io.socketiocanary.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.socket.backo.Backoff;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socketiocanary.client.compat.LibraryTexts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Reconnection} with the real socket.io-client against loopback ports: the attempts, their
 * numbers, the give-up and the connect timeout the Manager's own reconnection would produce, with
 * no {@code java.util.Timer} thread started for any of them. (Reconnecting to a real server after
 * it went away is what {@code ServerOutageIT} and {@code ChaosSoakIT} check, against Node.)
 */
class ReconnectionTest {
  private final EventLoop timers = new DefaultEventLoop();
  private final LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
  /** The Timer threads alive when each attempt began (the Manager's own reconnection has one then). */
  private final Set<Long> timerThreadsAtAttempts = ConcurrentHashMap.newKeySet();
  /** The namespace Socket of the last {@link #reconnection} made. */
  private Socket socket;

  @AfterEach
  void stopTimers() {
    timers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  @Test
  void aRefusedPortIsRetriedOnTheBackoffUntilTheAttemptsAreSpentWithoutATimerThread() throws Exception {
    Set<Long> timerThreadsBefore = timerThreads();
    Reconnection reconnection = reconnection(refusedPort(), 3, 0);
    long started = System.nanoTime();
    reconnection.start();

    List<String> events = take(8);
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(events).containsExactly("connect_error", "attempt 1", "connect_error", "attempt 2",
        "connect_error", "attempt 3", "connect_error", "gave up");
    // Delays 20, 40, 80 ms (no jitter): the schedule was waited for, not skipped.
    assertThat(tookMillis).isGreaterThanOrEqualTo(140);
    assertThat(seen.poll(300, TimeUnit.MILLISECONDS)).as("nothing after giving up").isNull();
    assertThat(timerThreadsAtAttempts).as("Timer threads alive at the attempts").isSubsetOf(timerThreadsBefore);
  }

  @Test
  void anAttemptThatNeverEndsFailsWithTheLibrarysTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      Reconnection reconnection = reconnection(silent.getLocalPort(), 1, 200);
      reconnection.start();
      assertThat(take(4)).containsExactly("connect_error timeout", "attempt 1", "connect_error timeout", "gave up");
    }
  }

  @Test
  void aFailedAttemptsEngineStopsPollingAServerWhoseHandshakeIsNotJson() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      AtomicInteger requests = new AtomicInteger();
      // What HostileServersIT's truncated_open server answers: the start of an open packet.
      HttpServer server = vertx.createHttpServer().requestHandler(request -> {
        requests.incrementAndGet();
        request.response().end("0{\"sid\":\"s1\",\"upgrad");
      }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Reconnection reconnection = reconnection(server.actualPort(), 0, 0);
      reconnection.start();
      assertThat(take(2)).containsExactly("connect_error", "gave up");

      Thread.sleep(500);
      // The handshake, and the close packet the closed engine POSTs; the library left the engine
      // polling again on every answer, hundreds of requests in this half second.
      assertThat(requests.get()).as("requests to the server").isLessThanOrEqualTo(2);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void afterStopNoFurtherAttempt() throws Exception {
    Reconnection reconnection = reconnection(refusedPort(), Integer.MAX_VALUE, 0, 300);
    reconnection.start();
    assertThat(take(1)).containsExactly("connect_error");
    reconnection.stop(() -> { });
    assertThat(seen.poll(700, TimeUnit.MILLISECONDS)).as("an attempt after stop").isNull();
  }

  @Test
  void aStopDuringAnUnansweredHandshakeWaitsForTheAnswerAndThenTellsTheServerTheSessionEnds() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<HttpServerRequest> handshake = new CompletableFuture<>();
      LinkedBlockingQueue<String> posted = new LinkedBlockingQueue<>();
      HttpServer server = vertx.createHttpServer().requestHandler(request -> {
        if (request.getParam("sid") == null) {
          handshake.complete(request);
        } else if (request.method() == HttpMethod.POST) {
          request.body().onSuccess(body -> {
            posted.add(body.toString());
            request.response().end("ok");
          });
        }
        // A long-poll GET is held, as a server with nothing to send holds it.
      }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Reconnection reconnection = reconnection(server.actualPort(), 0, 0);
      reconnection.start();
      HttpServerRequest unanswered = handshake.get(10, TimeUnit.SECONDS);

      // As CanaryConnection.close does.
      reconnection.stop(() -> {
        seen.add("settled");
        socket.disconnect();
      });
      assertThat(seen.poll(300, TimeUnit.MILLISECONDS)).as("settled before the handshake's answer").isNull();
      unanswered.response().end("0{\"sid\":\"s1\",\"upgrades\":[],\"pingInterval\":25000,"
          + "\"pingTimeout\":20000,\"maxPayload\":1000000}");

      assertThat(take(1)).containsExactly("settled");
      // The close packet (Engine.IO "1"), after the namespace CONNECT the opened engine sent first.
      List<String> packets = new ArrayList<>();
      while (!packets.contains("1")) {
        String body = posted.poll(10, TimeUnit.SECONDS);
        assertThat(body).as("a POST after " + packets).isNotNull();
        packets.addAll(List.of(body.split("\u001e")));
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStopDuringAHandshakeNeverAnsweredSettlesWhenTheConnectTimeoutEndsIt() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      silent.setSoTimeout(10_000);
      Reconnection reconnection = reconnection(silent.getLocalPort(), Integer.MAX_VALUE, 300);
      reconnection.start();
      // Accepted and never answered: the attempt is in flight when it is stopped.
      java.net.Socket handshake = silent.accept();
      try {
        reconnection.stop(() -> seen.add("settled"));
        assertThat(take(2)).containsExactly("connect_error timeout", "settled");
        assertThat(seen.poll(500, TimeUnit.MILLISECONDS)).as("an attempt after stop").isNull();
      } finally {
        handshake.close();
      }
    }
  }

  private Reconnection reconnection(int port, int maxAttempts, long connectTimeoutMillis) {
    return reconnection(port, maxAttempts, connectTimeoutMillis, 20);
  }

  private Reconnection reconnection(int port, int maxAttempts, long connectTimeoutMillis, long delayMillis) {
    IO.Options options = new IO.Options();
    options.reconnection = false;
    options.timeout = -1;
    options.transports = new String[] {"polling"};
    Manager manager = new Manager(URI.create("http://127.0.0.1:" + port), options);
    socket = manager.socket("/", options);
    socket.on(Socket.EVENT_CONNECT_ERROR, args ->
        seen.add(LibraryTexts.isConnectTimeout(args[0]) ? "connect_error timeout" : "connect_error"));
    Backoff backoff = new Backoff().setMin(delayMillis).setMax(10 * delayMillis).setJitter(0);
    return new Reconnection(manager, socket, backoff, maxAttempts, connectTimeoutMillis, timers,
        new Reconnection.Events() {
          @Override
          public void attempt(int number) {
            timerThreadsAtAttempts.addAll(timerThreads());
            seen.add("attempt " + number);
          }

          @Override
          public void gaveUp() {
            seen.add("gave up");
          }
        });
  }

  private List<String> take(int count) throws InterruptedException {
    List<String> events = new ArrayList<>();
    while (events.size() < count) {
      String event = seen.poll(10, TimeUnit.SECONDS);
      if (event == null) {
        break;
      }
      events.add(event);
    }
    return events;
  }

  private static int refusedPort() throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  private static Set<Long> timerThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("Timer-"))
        .map(Thread::getId).collect(Collectors.toSet());
  }
}
