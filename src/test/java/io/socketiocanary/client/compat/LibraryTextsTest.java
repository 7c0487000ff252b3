package io.socketiocanary.client.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.client.SocketIOException;
import io.socket.engineio.client.EngineIOException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One test per library text {@link LibraryTexts} reads, each quoting the text and where the
 * library writes it. Where a loopback server can make the library write it, the test does, so a
 * library update that rewords one fails here, not silently as the reason {@code other}.
 */
class LibraryTextsTest {
  private static final String OPEN = "0{\"sid\":\"s1\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
      + "\"maxPayload\":1000000}";

  private static Vertx vertx;
  private static HttpServer server;

  /** Loopback polling endpoints, one per path: each answers the way a test needs. */
  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(LibraryTextsTest::answer)
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void answer(HttpServerRequest request) {
    String path = request.path();
    boolean handshake = request.getParam("sid") == null;
    if (path.startsWith("/bad-gateway/")) {
      request.response().setStatusCode(502).end("<html>502 Bad Gateway</html>");
    } else if (path.startsWith("/not-engine-io/")) {
      request.response().end("<html>this is a web page</html>");
    } else if (path.startsWith("/silent/")) {
      // Never answers: the Manager's connect timeout ends the attempt.
    } else if (path.startsWith("/v2-connect/")) {
      if (handshake) {
        request.response().end(OPEN);
      } else if (request.method().name().equals("POST")) {
        request.response().end("ok");
      } else {
        // A namespace CONNECT without the sid v3+ servers send: what a Socket.IO v2 server answers.
        request.response().end("40");
      }
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  private static URI base() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  private static io.socket.engineio.client.Socket pollingEngine(String path) {
    io.socket.engineio.client.Socket.Options options = new io.socket.engineio.client.Socket.Options();
    options.transports = new String[] {"polling"};
    options.path = path;
    return new io.socket.engineio.client.Socket(base(), options);
  }

  private static Object engineError(String path) throws Exception {
    io.socket.engineio.client.Socket engine = pollingEngine(path);
    CompletableFuture<Object> error = new CompletableFuture<>();
    engine.on(io.socket.engineio.client.Socket.EVENT_ERROR, args -> error.complete(args[0]));
    engine.open();
    try {
      return error.get(10, TimeUnit.SECONDS);
    } finally {
      engine.close();
    }
  }

  private static Object connectError(String path, long timeoutMillis) throws Exception {
    IO.Options options = new IO.Options();
    options.forceNew = true;
    options.reconnection = false;
    options.transports = new String[] {"polling"};
    options.path = path;
    options.timeout = timeoutMillis;
    Manager manager = new Manager(base(), options);
    Socket socket = manager.socket("/", options);
    CompletableFuture<Object> error = new CompletableFuture<>();
    socket.on(Socket.EVENT_CONNECT_ERROR, args -> error.complete(args.length > 0 ? args[0] : null));
    socket.connect();
    try {
      return error.get(10, TimeUnit.SECONDS);
    } finally {
      socket.disconnect();
    }
  }

  /** engine.io-client 2.1.0, PollingXHR: {@code new IOException(Integer.toString(response.code()))}. */
  @Test
  void aPollingErrorStatusIsTheBareStatusOfAnIOException() throws Exception {
    Object error = engineError("/bad-gateway/");
    assertThat(error).isInstanceOf(EngineIOException.class);
    assertThat((Throwable) error).hasMessage("xhr poll error");
    Throwable cause = ((Throwable) error).getCause();
    assertThat(cause).isInstanceOf(IOException.class).hasMessage("502");
    assertThat(LibraryTexts.pollingStatus(cause)).hasValue(502);
    assertThat(LibraryTexts.pollingStatus(new IOException("Connection reset"))).isEmpty();
    assertThat(LibraryTexts.pollingStatus(new RuntimeException("502"))).as("not the library's type").isEmpty();
  }

  /**
   * engine.io-client 2.1.0, Parser: {@code new Packet<String>(Packet.ERROR, "parser error")};
   * Socket#onPacket: {@code new EngineIOException("server error")} with {@code code} = "parser error".
   */
  @Test
  void aPayloadThatIsNotEngineIoIsTheParserErrorCode() throws Exception {
    Object error = engineError("/not-engine-io/");
    assertThat(error).isInstanceOf(EngineIOException.class);
    assertThat((Throwable) error).hasMessage("server error");
    assertThat(((EngineIOException) error).code).isEqualTo("parser error");
    assertThat(LibraryTexts.isParserError((Throwable) error)).isTrue();
    assertThat(LibraryTexts.isParserError(new EngineIOException("server error"))).isFalse();
  }

  /** socket.io-client 2.1.2, Manager#open's onTimeout: {@code new SocketIOException("timeout")}. */
  @Test
  void theManagersConnectTimeoutIsASocketIoExceptionSayingTimeout() throws Exception {
    Object error = connectError("/silent/", 300);
    assertThat(error).isInstanceOf(SocketIOException.class);
    assertThat((Throwable) error).hasMessage("timeout");
    assertThat(LibraryTexts.isConnectTimeout(error)).isTrue();
    assertThat(LibraryTexts.isConnectTimeout(new SocketIOException("Connection error"))).isFalse();
  }

  /**
   * socket.io-client 2.1.2, Socket#onpacket for a CONNECT without sid: {@code new SocketIOException(
   * "It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, which is not possible")}.
   */
  @Test
  void aV2ServersConnectAnswerIsTheV2Message() throws Exception {
    Object error = connectError("/v2-connect/", 10_000);
    assertThat(error).isInstanceOf(SocketIOException.class);
    assertThat(LibraryTexts.isV2Server(error)).as("%s", error).isTrue();
    assertThat(LibraryTexts.isV2Server(new SocketIOException("timeout"))).isFalse();
  }

  /**
   * The Socket.IO server (Node socket.io 4.x, dist/client.js, Client#connect for an unknown
   * namespace): CONNECT_ERROR {@code {message: "Invalid namespace"}}. Written by the server, not
   * the Java client, so no loopback run here: {@code FailureReasonsIT} sees it from a real one.
   */
  @Test
  void anUnknownNamespaceIsInvalidNamespace() {
    assertThat(LibraryTexts.isInvalidNamespace("Invalid namespace")).isTrue();
    assertThat(LibraryTexts.isInvalidNamespace("invalid namespace")).isTrue();
    assertThat(LibraryTexts.isInvalidNamespace("Invalid namespace token")).isFalse();
    assertThat(LibraryTexts.isInvalidNamespace(null)).isFalse();
  }
}
