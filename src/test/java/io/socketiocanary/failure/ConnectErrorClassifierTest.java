package io.socketiocanary.failure;

import static org.assertj.core.api.Assertions.assertThat;

import io.socket.client.SocketIOException;
import io.socket.engineio.client.EngineIOException;
import io.socketiocanary.client.ConnectFailure;
import io.socketiocanary.client.ConnectFailure.Kind;
import io.socketiocanary.client.HttpFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.OptionalInt;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Each failure shape the Java client produces, as seen on loopback, maps to its reason. */
class ConnectErrorClassifierTest {
  private final ConnectErrorClassifier classifier =
      new ConnectErrorClassifier(io.socketiocanary.config.TargetConfig.DEFAULT_AUTH_ERROR_PATTERNS);

  private ConnectErrorReason transport(Throwable cause) {
    return classifier.classify(new ConnectFailure(Kind.TRANSPORT, "websocket error",
        new EngineIOException("websocket error", cause), null, true));
  }

  private ConnectErrorReason http(int status, Integer code, String message, boolean websocket) {
    HttpFailure http = new HttpFailure(status, code == null ? OptionalInt.empty() : OptionalInt.of(code), message, websocket);
    return classifier.classify(new ConnectFailure(Kind.TRANSPORT, "xhr poll error", null, http, true));
  }

  private ConnectErrorReason rejected(String message) {
    return classifier.classify(new ConnectFailure(Kind.NAMESPACE_REJECTED, message, null, null, false));
  }

  @Test
  void networkSteps() {
    assertThat(transport(new UnknownHostException("nope.invalid"))).isEqualTo(ConnectErrorReason.DNS);
    assertThat(transport(new ConnectException("Failed to connect to /127.0.0.1:1"))).isEqualTo(ConnectErrorReason.CONNECTION_REFUSED);
    assertThat(transport(new SSLHandshakeException("PKIX path building failed"))).isEqualTo(ConnectErrorReason.TLS);
    assertThat(transport(new SocketTimeoutException("connect timed out"))).isEqualTo(ConnectErrorReason.TIMEOUT);
  }

  @Test
  void theClientsOwnConnectTimeout() {
    assertThat(classifier.classify(new ConnectFailure(Kind.TIMEOUT, "timeout", new SocketIOException("timeout"), null, true)))
        .isEqualTo(ConnectErrorReason.TIMEOUT);
  }

  @Test
  void httpStatusesFromPollingAndFromTheWebSocketHandshakeWithoutACapturedBody() {
    assertThat(transport(new IOException("502"))).isEqualTo(ConnectErrorReason.HTTP_502);
    assertThat(transport(new IOException("418"))).isEqualTo(ConnectErrorReason.HTTP_4XX);
    assertThat(transport(new ProtocolException("Expected HTTP 101 response but was '503 Service Unavailable'")))
        .isEqualTo(ConnectErrorReason.HTTP_503);
    assertThat(transport(new ProtocolException("Expected HTTP 101 response but was '200 OK'")))
        .isEqualTo(ConnectErrorReason.WEBSOCKET_UPGRADE);
  }

  @Test
  void whatTheServerSaidInItsErrorBodyWins() {
    assertThat(http(400, 1, "Session ID unknown", false)).isEqualTo(ConnectErrorReason.SESSION_UNKNOWN);
    assertThat(http(400, 5, "Unsupported protocol version", false)).isEqualTo(ConnectErrorReason.PROTOCOL_MISMATCH);
    assertThat(http(403, 4, "origin not allowed: https://evil.example", false)).isEqualTo(ConnectErrorReason.CORS);
    assertThat(http(400, 3, "Bad request", true)).isEqualTo(ConnectErrorReason.WEBSOCKET_UPGRADE);
    assertThat(http(400, 3, "Bad request", false)).isEqualTo(ConnectErrorReason.HTTP_400);
    assertThat(http(429, null, "Too Many Requests", false)).isEqualTo(ConnectErrorReason.HTTP_429);
    assertThat(http(504, null, "<html>", false)).isEqualTo(ConnectErrorReason.HTTP_504);
    assertThat(http(599, null, "", false)).isEqualTo(ConnectErrorReason.HTTP_5XX);
  }

  @Test
  void namespaceRejections() {
    assertThat(rejected("Invalid namespace")).isEqualTo(ConnectErrorReason.INVALID_NAMESPACE);
    assertThat(rejected("token expired")).isEqualTo(ConnectErrorReason.AUTH);
    assertThat(rejected("Unauthorized")).isEqualTo(ConnectErrorReason.AUTH);
    assertThat(rejected("room is full")).isEqualTo(ConnectErrorReason.SERVER_REJECTED);
  }

  @Test
  void aSocketIoV2ServerIsAProtocolMismatch() {
    assertThat(classifier.classify(new ConnectFailure(Kind.PROTOCOL, "It seems you are trying to reach a Socket.IO server in v2.x", null, null, true)))
        .isEqualTo(ConnectErrorReason.PROTOCOL_MISMATCH);
    assertThat(transport(new IOException("parser error"))).isEqualTo(ConnectErrorReason.PROTOCOL_MISMATCH);
  }

  @Test
  void anythingElseIsOther() {
    assertThat(transport(new IOException("something odd"))).isEqualTo(ConnectErrorReason.OTHER);
  }
}
