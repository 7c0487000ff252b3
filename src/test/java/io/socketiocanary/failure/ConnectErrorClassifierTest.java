package io.socketiocanary.failure;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.client.ConnectFailure;
import io.socketiocanary.client.ConnectFailure.Fault;
import io.socketiocanary.client.ConnectFailure.Kind;
import io.socketiocanary.client.HttpFailure;
import io.socketiocanary.config.TargetConfig;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Each fact a failed attempt can carry maps to its reason. Which exception or library text
 * states which fact is {@code FailureFactsTest}'s and {@code LibraryTextsTest}'s business.
 */
class ConnectErrorClassifierTest {
  private final ConnectErrorClassifier classifier = new ConnectErrorClassifier(TargetConfig.DEFAULT_AUTH_ERROR_PATTERNS);

  private ConnectErrorReason fault(Fault fault) {
    return classifier.classify(new ConnectFailure(Kind.TRANSPORT, "websocket error", null, null, true, fault));
  }

  private ConnectErrorReason http(int status, Integer code, String message, boolean websocket) {
    HttpFailure http = new HttpFailure(status, code == null ? OptionalInt.empty() : OptionalInt.of(code), message,
        websocket);
    return classifier.classify(new ConnectFailure(Kind.TRANSPORT, "xhr poll error", null, http, true,
        websocket ? Fault.UPGRADE_REFUSED : Fault.HTTP_STATUS));
  }

  private ConnectErrorReason rejected(String message, Fault fault) {
    return classifier.classify(new ConnectFailure(Kind.NAMESPACE_REJECTED, message, null, null, false, fault));
  }

  @Test
  void networkFaults() {
    assertThat(fault(Fault.DNS)).isEqualTo(ConnectErrorReason.DNS);
    assertThat(fault(Fault.REFUSED)).isEqualTo(ConnectErrorReason.CONNECTION_REFUSED);
    assertThat(fault(Fault.TLS)).isEqualTo(ConnectErrorReason.TLS);
    assertThat(fault(Fault.TIMEOUT)).isEqualTo(ConnectErrorReason.TIMEOUT);
  }

  @Test
  void theClientsOwnConnectTimeout() {
    assertThat(classifier.classify(new ConnectFailure(Kind.TIMEOUT, "timeout", null, null, true, Fault.UNKNOWN)))
        .isEqualTo(ConnectErrorReason.TIMEOUT);
  }

  @Test
  void aWebSocketHandshakeAnsweredWithAnErrorStatusIsThatStatus() {
    // What NettyWebSocket once reported as OkHttp's "Expected HTTP 101 response but was '503 …'".
    assertThat(http(503, null, "", true)).isEqualTo(ConnectErrorReason.HTTP_503);
    assertThat(http(404, null, "Cannot GET /socket.io/", true)).isEqualTo(ConnectErrorReason.HTTP_404);
  }

  @Test
  void aWebSocketHandshakeAnsweredWithAnythingElseIsAFailedUpgrade() {
    // "… but was '200 OK'": a proxy or plain web server that does not upgrade.
    assertThat(http(200, null, "<html>", true)).isEqualTo(ConnectErrorReason.WEBSOCKET_UPGRADE);
    assertThat(http(302, null, "", true)).isEqualTo(ConnectErrorReason.WEBSOCKET_UPGRADE);
    assertThat(fault(Fault.UPGRADE_REFUSED)).as("without the status").isEqualTo(ConnectErrorReason.WEBSOCKET_UPGRADE);
  }

  @Test
  void aPollingErrorStatusIsThatStatus() {
    assertThat(http(502, null, "", false)).isEqualTo(ConnectErrorReason.HTTP_502);
    assertThat(http(418, null, "", false)).isEqualTo(ConnectErrorReason.HTTP_4XX);
    assertThat(http(304, null, "", false)).isEqualTo(ConnectErrorReason.OTHER);
    assertThat(fault(Fault.HTTP_STATUS)).as("without the status").isEqualTo(ConnectErrorReason.OTHER);
  }

  @Test
  void whatTheServerSaidInItsErrorBodyWins() {
    assertThat(http(400, 1, "Session ID unknown", false)).isEqualTo(ConnectErrorReason.SESSION_UNKNOWN);
    assertThat(http(400, 5, "Unsupported protocol version", false)).isEqualTo(ConnectErrorReason.PROTOCOL_MISMATCH);
    assertThat(http(400, 3, "Bad request", true)).isEqualTo(ConnectErrorReason.WEBSOCKET_UPGRADE);
    assertThat(http(400, 3, "Bad request", false)).isEqualTo(ConnectErrorReason.HTTP_400);
    assertThat(http(429, null, "Too Many Requests", false)).isEqualTo(ConnectErrorReason.HTTP_429);
    assertThat(http(504, null, "<html>", false)).isEqualTo(ConnectErrorReason.HTTP_504);
    assertThat(http(599, null, "", false)).isEqualTo(ConnectErrorReason.HTTP_5XX);
  }

  @Test
  void anOriginRefusalIsCors() {
    assertThat(http(403, 4, "origin not allowed: https://evil.example", false)).isEqualTo(ConnectErrorReason.CORS);
    assertThat(http(400, null, "origin not allowed: https://evil.example", true)).isEqualTo(ConnectErrorReason.CORS);
    HttpFailure blocked = new HttpFailure(200, OptionalInt.empty(), "no Access-Control-Allow-Origin", false, true);
    assertThat(classifier.classify(new ConnectFailure(Kind.TRANSPORT, "xhr poll error", null, blocked, true,
        Fault.UNKNOWN))).isEqualTo(ConnectErrorReason.CORS);
  }

  @Test
  void namespaceRejections() {
    assertThat(rejected("Invalid namespace", Fault.INVALID_NAMESPACE)).isEqualTo(ConnectErrorReason.INVALID_NAMESPACE);
    assertThat(rejected("token expired", Fault.UNKNOWN)).isEqualTo(ConnectErrorReason.AUTH);
    assertThat(rejected("Unauthorized", Fault.UNKNOWN)).isEqualTo(ConnectErrorReason.AUTH);
    assertThat(rejected("room is full", Fault.UNKNOWN)).isEqualTo(ConnectErrorReason.SERVER_REJECTED);
  }

  @Test
  void theUsersAuthPatternsDecideWhatIsAuth() {
    ConnectErrorClassifier own = new ConnectErrorClassifier(java.util.List.of("Room Is Full"));
    assertThat(own.classify(new ConnectFailure(Kind.NAMESPACE_REJECTED, "room is full", null, null, false,
        Fault.UNKNOWN))).isEqualTo(ConnectErrorReason.AUTH);
    assertThat(own.classify(new ConnectFailure(Kind.NAMESPACE_REJECTED, "token expired", null, null, false,
        Fault.UNKNOWN))).isEqualTo(ConnectErrorReason.SERVER_REJECTED);
  }

  @Test
  void aServerThatDoesNotSpeakEngineIoV4IsAProtocolMismatch() {
    assertThat(classifier.classify(new ConnectFailure(Kind.PROTOCOL, "It seems you are trying to reach a Socket.IO"
        + " server in v2.x", null, null, true, Fault.UNKNOWN))).isEqualTo(ConnectErrorReason.PROTOCOL_MISMATCH);
    assertThat(fault(Fault.NOT_ENGINE_IO)).isEqualTo(ConnectErrorReason.PROTOCOL_MISMATCH);
  }

  @Test
  void anythingElseIsOther() {
    assertThat(fault(Fault.UNKNOWN)).isEqualTo(ConnectErrorReason.OTHER);
  }
}
