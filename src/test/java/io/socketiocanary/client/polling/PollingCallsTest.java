package io.socketiocanary.client.polling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContextBuilder;
import io.socketiocanary.client.dial.HostAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetServer;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PollingCalls} against real HTTP servers on loopback (Vert.x, and a raw TCP server where
 * a test needs a connection to misbehave): what engine.io-client's polling transport relies on,
 * and what the agent relied on OkHttp for.
 */
class PollingCallsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final MediaType TEXT = MediaType.get("text/plain;charset=UTF-8");

  private Vertx vertx;
  private HttpServer server;
  private EventLoopGroup loops;
  private ExecutorService lookups;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger connectionsSeen = new AtomicInteger();
  private final AtomicInteger connectionsClosed = new AtomicInteger();
  private final List<String> requestsSeen = new CopyOnWriteArrayList<>();
  private final List<String> authorizationSeen = new CopyOnWriteArrayList<>();
  private final List<Response> observed = new CopyOnWriteArrayList<>();
  private final Map<String, HttpServerRequest> parked = new ConcurrentHashMap<>();
  private final AtomicBoolean networkDown = new AtomicBoolean();
  private PollingCalls calls;

  /** One outcome of a call, read as engine.io-client reads it: the whole body inside onResponse. */
  record Outcome(int status, String body, IOException failure, String thread) {}

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer()
        .connectionHandler(c -> {
          connectionsSeen.incrementAndGet();
          c.closeHandler(v -> connectionsClosed.incrementAndGet());
        })
        .requestHandler(this::serve)
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    lookups = Executors.newFixedThreadPool(1, r -> new Thread(r, "test-dns"));
    calls = target(5000).forCanary(networkDown::get, observed::add);
  }

  private PollingTarget target(long connectTimeoutMillis) throws Exception {
    LazySslContext tls = LazySslContext.of(SslContextBuilder.forClient().build());
    return new PollingTarget(loops, lookups, HostAddresses.SYSTEM, tls, connectTimeoutMillis, inFlight);
  }

  @AfterEach
  void stop() throws Exception {
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    lookups.shutdownNow();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void serve(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      requestsSeen.add(request.method() + " " + request.uri() + " " + body
          + " ua=" + request.getHeader("User-Agent") + " host=" + request.getHeader("Host"));
      authorizationSeen.add(request.uri() + " " + request.getHeader("Authorization"));
      HttpServerResponse response = request.response();
      switch (request.path()) {
        case "/ok" -> response.putHeader("Content-Type", "text/plain; charset=UTF-8").end("0{\"sid\":\"s\"}");
        case "/error" -> response.setStatusCode(400).putHeader("Content-Type", "application/json")
            .end("{\"code\":1,\"message\":\"Session ID unknown\"}");
        case "/redirect" -> response.setStatusCode(302).putHeader("Location", "/ok?from=302").end();
        case "/redirect-307" -> response.setStatusCode(307).putHeader("Location", "/ok?from=307").end();
        case "/away" -> response.setStatusCode(302)
            .putHeader("Location", "http://localhost:" + server.actualPort() + "/ok?from=away").end();
        case "/loop" -> response.setStatusCode(302).putHeader("Location", request.uri()).end();
        case "/huge" -> response.end(Buffer.buffer("4" + "x".repeat(2 * PollingTarget.MAX_BODY_BYTES)));
        case "/endless" -> {
          response.setChunked(true);
          endless(response);
        }
        case "/slow" -> vertx.setTimer(300, t -> response.end("40{"));
        case "/park" -> parked.put(request.getParam("id"), request);
        default -> response.setStatusCode(404).end();
      }
    });
  }

  private void endless(HttpServerResponse response) {
    response.write("y".repeat(64 * 1024)).onSuccess(v -> {
      if (!response.closed()) {
        vertx.runOnContext(x -> endless(response));
      }
    });
  }

  private String url(String pathAndQuery) {
    return "http://127.0.0.1:" + server.actualPort() + pathAndQuery;
  }

  private CompletableFuture<Outcome> enqueue(Call call) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call c, IOException e) {
        outcome.complete(new Outcome(-1, null, e, Thread.currentThread().getName()));
      }

      @Override
      public void onResponse(Call c, Response response) throws IOException {
        try (response) {
          outcome.complete(new Outcome(response.code(), response.body().string(), null,
              Thread.currentThread().getName()));
        }
      }
    });
    return outcome;
  }

  private Outcome get(String pathAndQuery) throws Exception {
    return enqueue(calls.newCall(new Request.Builder().url(url(pathAndQuery)).build())).get(10, TimeUnit.SECONDS);
  }

  private Outcome post(String path, String body) throws Exception {
    Request request = new Request.Builder().url(url(path)).post(RequestBody.create(body, TEXT)).build();
    return enqueue(calls.newCall(request)).get(10, TimeUnit.SECONDS);
  }

  @Test
  void anAnswerArrivesWholeOnTheEventLoopAndTheConnectionIsKeptForTheNextRequest() throws Exception {
    Outcome first = get("/ok?EIO=4&transport=polling");
    Outcome second = post("/ok?EIO=4&transport=polling&sid=s", "3");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("0{\"sid\":\"s\"}");
    assertThat(first.thread()).doesNotStartWith("vert.x").doesNotStartWith("test-dns");
    assertThat(second.status()).isEqualTo(200);
    assertThat(requestsSeen).containsExactly(
        "GET /ok?EIO=4&transport=polling  ua=okhttp/" + okhttp3.OkHttp.VERSION + " host=127.0.0.1:" + server.actualPort(),
        "POST /ok?EIO=4&transport=polling&sid=s 3 ua=okhttp/" + okhttp3.OkHttp.VERSION
            + " host=127.0.0.1:" + server.actualPort());
    assertThat(connectionsSeen).hasValue(1);
    assertThat(inFlight).hasValue(0);
    assertThat(calls.inFlight()).isZero();
  }

  @Test
  void everyIdleConnectionClosesWhenTheirCanaryConnectionIsDiscarded() throws Exception {
    // A long-poll and a POST at once take two connections; both wait idle afterwards.
    CompletableFuture<Outcome> poll = enqueue(calls.newCall(new Request.Builder().url(url("/slow")).build()));
    assertThat(post("/ok", "40").status()).isEqualTo(200);
    assertThat(poll.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(connectionsSeen).hasValue(2);
    assertThat(connectionsClosed).as("kept alive").hasValue(0);

    calls.closeIdle();

    await().atMost(WAIT).until(() -> connectionsClosed.get() == 2);
  }

  @Test
  void atMostTwoIdleConnectionsPerOriginAreKeptTheLongestIdleOneCloses() throws Exception {
    // Three requests at once (an abandoned engine still polling beside the next one's poll and
    // POST) take three connections; only an engine's two are worth keeping.
    CompletableFuture<Outcome> first = enqueue(calls.newCall(new Request.Builder().url(url("/slow")).build()));
    CompletableFuture<Outcome> second = enqueue(calls.newCall(new Request.Builder().url(url("/slow")).build()));
    assertThat(post("/ok", "40").status()).isEqualTo(200);
    assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(second.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(connectionsSeen).hasValue(3);

    await().atMost(WAIT).until(() -> connectionsClosed.get() == 1);
    // The two kept carry the next two requests; nothing new is dialled.
    assertThat(get("/ok").status()).isEqualTo(200);
    assertThat(post("/ok", "3").status()).isEqualTo(200);
    assertThat(connectionsSeen).hasValue(3);
    assertThat(connectionsClosed).hasValue(1);
  }

  @Test
  void anErrorAnswerReachesTheObserverWithItsBodyAndTheEngineWithItsStatus() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    calls = target(5000).forCanary(networkDown::get, r -> seen.add(r.code() + " " + r.peekBody(1024).string()));

    Outcome outcome = get("/error?EIO=4&transport=polling&sid=gone");

    assertThat(outcome.status()).isEqualTo(400);
    assertThat(outcome.body()).as("the engine reads the same body after the observer peeked")
        .isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
    assertThat(seen).containsExactly("400 {\"code\":1,\"message\":\"Session ID unknown\"}");
  }

  @Test
  void anObserverCanRefuseAnAnswerAsABrowserWould() throws Exception {
    calls = target(5000).forCanary(networkDown::get, response -> {
      throw new IOException("blocked by CORS");
    });

    assertThat(get("/ok").failure()).hasMessage("blocked by CORS");
  }

  @Test
  void redirectsAreFollowedAsABrowserFollowsThem() throws Exception {
    assertThat(get("/redirect").body()).isEqualTo("0{\"sid\":\"s\"}");
    // 302 turns a POST into a GET without its body; 307 keeps both.
    assertThat(post("/redirect", "payload").status()).isEqualTo(200);
    assertThat(post("/redirect-307", "payload").status()).isEqualTo(200);

    assertThat(requestsSeen).extracting(s -> s.substring(0, s.indexOf(" ua=")))
        .containsExactly("GET /redirect ", "GET /ok?from=302 ",
            "POST /redirect payload", "GET /ok?from=302 ",
            "POST /redirect-307 payload", "POST /ok?from=307 payload");
    assertThat(connectionsSeen).as("every hop on the one keep-alive connection").hasValue(1);
  }

  @Test
  void aRedirectToAnotherOriginGetsItsOwnConnectionAndNoAuthorization() throws Exception {
    Request request = new Request.Builder().url(url("/away")).header("Authorization", "Bearer secret").build();

    assertThat(enqueue(calls.newCall(request)).get(10, TimeUnit.SECONDS).status()).isEqualTo(200);

    assertThat(authorizationSeen).containsExactly("/away Bearer secret", "/ok?from=away null");
    assertThat(connectionsSeen).as("127.0.0.1 and localhost are two origins").hasValue(2);
  }

  @Test
  void aRedirectLoopEndsAfterTwentyFollowUpsWithOkHttpsWords() throws Exception {
    Outcome outcome = get("/loop");

    assertThat(outcome.failure()).isInstanceOf(ProtocolException.class)
        .hasMessage("Too many follow-up requests: 21");
    assertThat(requestsSeen).hasSize(21);
    assertThat(observed).as("no final answer to observe").isEmpty();
  }

  @Test
  void aBodyOverTheLimitFailsTheCallInsteadOfBeingBuffered() throws Exception {
    assertThat(get("/huge").failure()).isInstanceOf(BodyTooLarge.class);
    assertThat(get("/endless").failure()).isInstanceOf(BodyTooLarge.class);
    assertThat(inFlight).hasValue(0);
  }

  @Test
  void aCancelledCallFailsAtOnceAndItsConnectionIsClosed() throws Exception {
    Call call = calls.newCall(new Request.Builder().url(url("/park?id=a")).build());
    CompletableFuture<Outcome> outcome = enqueue(call);
    await().atMost(WAIT).until(() -> parked.containsKey("a"));
    AtomicBoolean serverSawClose = new AtomicBoolean();
    parked.get("a").connection().closeHandler(v -> serverSawClose.set(true));

    assertThat(calls.cancelAll()).isEqualTo(1);

    assertThat(outcome.get(10, TimeUnit.SECONDS).failure()).hasMessage("Canceled");
    await().atMost(WAIT).untilTrue(serverSawClose);
    assertThat(call.isCanceled()).isTrue();
    assertThat(inFlight).hasValue(0);
    assertThat(calls.cancelAll()).as("nothing left to cancel").isZero();
  }

  @Test
  void aDrillCutsEveryConnectionAndNoNewOneOpensWhileTheNetworkIsDown() throws Exception {
    get("/ok");
    CompletableFuture<Outcome> waiting = enqueue(calls.newCall(new Request.Builder().url(url("/park?id=b")).build()));
    await().atMost(WAIT).until(() -> parked.containsKey("b"));
    AtomicReference<Throwable> serverSaw = new AtomicReference<>();
    parked.get("b").connection().exceptionHandler(serverSaw::set);

    networkDown.set(true);
    assertThat(calls.cutAll()).as("the long-poll's connection").isEqualTo(1);

    // It ran on the connection kept from the first request: retried once on a fresh one, which the blackout fails.
    assertThat(waiting.get(10, TimeUnit.SECONDS).failure()).isInstanceOf(NoRouteToHostException.class);
    await().atMost(WAIT).until(() -> serverSaw.get() != null);
    assertThat(serverSaw.get()).as("an RST, not a FIN").hasMessageContaining("reset");
    assertThat(get("/ok").failure()).isInstanceOf(NoRouteToHostException.class);
    networkDown.set(false);
    assertThat(get("/ok").status()).isEqualTo(200);
  }

  @Test
  void aKeptConnectionTheServerClosedIsRetriedOnceOnAFreshOne() throws Exception {
    // Answers the first request of each connection, then closes the connection at the second
    // request's first byte without answering: what a keep-alive timeout racing a request does.
    AtomicInteger accepted = new AtomicInteger();
    NetServer raw = vertx.createNetServer().connectHandler(socket -> {
      accepted.incrementAndGet();
      AtomicInteger requests = new AtomicInteger();
      socket.handler(bytes -> {
        if (bytes.toString().contains("\r\n\r\n") && requests.incrementAndGet() == 1) {
          socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        } else {
          socket.close();
        }
      });
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String url = "http://127.0.0.1:" + raw.actualPort() + "/";

    assertThat(enqueue(calls.newCall(new Request.Builder().url(url).build())).get(10, TimeUnit.SECONDS).body())
        .isEqualTo("ok");
    Outcome second = enqueue(calls.newCall(new Request.Builder().url(url).build())).get(10, TimeUnit.SECONDS);

    assertThat(second.body()).isEqualTo("ok");
    assertThat(accepted).hasValue(2);
  }

  @Test
  void aFreshConnectionClosedBeforeAnyAnswerFailsWithoutARetry() throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    NetServer raw = vertx.createNetServer().connectHandler(socket -> {
      accepted.incrementAndGet();
      socket.handler(bytes -> socket.close());
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    Outcome outcome = enqueue(calls.newCall(new Request.Builder().url("http://127.0.0.1:" + raw.actualPort() + "/").build()))
        .get(10, TimeUnit.SECONDS);

    assertThat(outcome.failure()).isInstanceOf(EOFException.class);
    assertThat(accepted).hasValue(1);
  }

  @Test
  void aRefusedConnectionAndTlsToAPlainServerFailWithTheirOwnTypes() throws Exception {
    int closedPort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    Outcome refused = enqueue(calls.newCall(new Request.Builder().url("http://127.0.0.1:" + closedPort + "/").build()))
        .get(10, TimeUnit.SECONDS);
    Outcome tls = enqueue(calls.newCall(new Request.Builder().url("https://127.0.0.1:" + server.actualPort() + "/ok")
        .build())).get(10, TimeUnit.SECONDS);

    assertThat(refused.failure()).isInstanceOf(java.net.ConnectException.class);
    // What FailureFacts reads as `tls`, as it did from OkHttp.
    assertThat(tls.failure()).isInstanceOf(javax.net.ssl.SSLException.class);
    assertThat(inFlight).hasValue(0);
  }

  @Test
  void anHttpTargetBuildsItsTlsContextOnceOnTheLookupThreadsAtItsFirstHttpsConnection() throws Exception {
    List<String> builtOn = new CopyOnWriteArrayList<>();
    LazySslContext tls = new LazySslContext(() -> {
      builtOn.add(Thread.currentThread().getName());
      try {
        return SslContextBuilder.forClient().build();
      } catch (javax.net.ssl.SSLException e) {
        throw new IllegalStateException(e);
      }
    });
    calls = new PollingTarget(loops, lookups, HostAddresses.SYSTEM, tls, 5000, inFlight)
        .forCanary(networkDown::get, observed::add);

    Outcome plain = enqueue(calls.newCall(new Request.Builder().url("http://127.0.0.1:" + server.actualPort() + "/ok")
        .build())).get(10, TimeUnit.SECONDS);
    assertThat(plain.status()).isEqualTo(200);
    assertThat(builtOn).as("plain http needs no TLS context").isEmpty();
    // An IP literal needs no lookup, but the first https connection still leaves the loop to build
    // the context; the second finds it built. (The server speaks plain HTTP: the handshake fails.)
    for (int i = 0; i < 2; i++) {
      Outcome secure = enqueue(calls.newCall(new Request.Builder()
          .url("https://127.0.0.1:" + server.actualPort() + "/ok").build())).get(10, TimeUnit.SECONDS);
      assertThat(secure.failure()).isInstanceOf(javax.net.ssl.SSLException.class);
    }
    assertThat(builtOn).containsExactly("test-dns");
    assertThat(inFlight).hasValue(0);
  }

  @Test
  void aTlsContextThatCannotBeBuiltFailsTheConnectionAsTls() throws Exception {
    calls = new PollingTarget(loops, lookups, HostAddresses.SYSTEM, new LazySslContext(() -> {
      throw new IllegalStateException("cannot use the CA file /etc/ca.pem: gone");
    }), 5000, inFlight).forCanary(networkDown::get, observed::add);

    Outcome outcome = enqueue(calls.newCall(new Request.Builder()
        .url("https://127.0.0.1:" + server.actualPort() + "/ok").build())).get(10, TimeUnit.SECONDS);

    assertThat(outcome.failure()).isInstanceOf(javax.net.ssl.SSLException.class)
        .hasMessageContaining("cannot use the CA file");
    assertThat(inFlight).hasValue(0);
  }

  @Test
  void anAddressThatRefusesIsPassedOverForTheHostsNext() throws Exception {
    // 127.0.0.2 is loopback too, but the server listens on 127.0.0.1 only: refused at once.
    List<String> lookedUp = new CopyOnWriteArrayList<>();
    calls = new PollingTarget(loops, lookups, host -> {
      lookedUp.add(host + " on " + Thread.currentThread().getName());
      return new InetAddress[] {InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1")};
    }, LazySslContext.of(SslContextBuilder.forClient().build()), 5000, inFlight).forCanary(networkDown::get, observed::add);

    Outcome outcome = enqueue(calls.newCall(new Request.Builder()
        .url("http://canary.test:" + server.actualPort() + "/ok").build())).get(10, TimeUnit.SECONDS);

    assertThat(outcome.status()).isEqualTo(200);
    assertThat(lookedUp).containsExactly("canary.test on test-dns");
    assertThat(connectionsSeen).hasValue(1);
  }

  @Test
  void whenEveryAddressRefusesTheFirstOnesFailureIsReportedWithTheRestSuppressed() throws Exception {
    int closedPort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    calls = new PollingTarget(loops, lookups,
        host -> new InetAddress[] {InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1")},
        LazySslContext.of(SslContextBuilder.forClient().build()), 5000, inFlight).forCanary(networkDown::get, observed::add);

    Outcome outcome = enqueue(calls.newCall(new Request.Builder()
        .url("http://canary.test:" + closedPort + "/").build())).get(10, TimeUnit.SECONDS);

    assertThat(outcome.failure()).isInstanceOf(java.net.ConnectException.class).hasMessageContaining("127.0.0.2");
    assertThat(outcome.failure().getSuppressed()).singleElement().asString().contains("127.0.0.1");
    assertThat(inFlight).hasValue(0);
  }

  @Test
  void aHostNameIsLookedUpOnTheLookupThreadsNotTheEventLoop() throws Exception {
    List<String> lookupThreads = new CopyOnWriteArrayList<>();
    calls = new PollingTarget(loops, command -> lookups.execute(() -> {
      lookupThreads.add(Thread.currentThread().getName());
      command.run();
    }), HostAddresses.SYSTEM, LazySslContext.of(SslContextBuilder.forClient().build()), 5000, inFlight)
        .forCanary(networkDown::get, observed::add);

    Outcome outcome = enqueue(calls.newCall(new Request.Builder()
        .url("http://localhost:" + server.actualPort() + "/ok").build())).get(10, TimeUnit.SECONDS);

    assertThat(outcome.status()).isEqualTo(200);
    assertThat(lookupThreads).containsExactly("test-dns");
    assertThat(calls.resolving()).isFalse();
  }

  @Test
  void aThousandWaitingLongPollsHoldNoThreadEach() throws Exception {
    int threadsBefore = Thread.activeCount();
    List<CompletableFuture<Outcome>> waiting = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      PollingCalls canary = target(5000).forCanary(networkDown::get, observed::add);
      waiting.add(enqueue(canary.newCall(new Request.Builder().url(url("/park?id=p" + i)).build())));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> parked.size() == 1000);

    assertThat(inFlight).hasValue(1000);
    assertThat(Thread.activeCount()).isLessThan(threadsBefore + 10);
    parked.values().forEach(r -> r.response().end("6"));
    for (CompletableFuture<Outcome> w : waiting) {
      assertThat(w.get(30, TimeUnit.SECONDS).body()).isEqualTo("6");
    }
    assertThat(inFlight).hasValue(0);
  }
}
