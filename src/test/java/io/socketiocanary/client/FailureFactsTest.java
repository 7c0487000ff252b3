package io.socketiocanary.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.socket.client.SocketIOException;
import io.socket.engineio.client.EngineIOException;
import io.socketiocanary.client.ConnectFailure.Fault;
import io.socketiocanary.client.ConnectFailure.Kind;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.json.JSONException;
import org.junit.jupiter.api.Test;

/** Each exception chain the client hands over, as seen on loopback, states its fact. */
class FailureFactsTest {

  /** As engine.io-client's WebSocket transport wraps whatever the WebSocket failed with. */
  private static ConnectFailure websocketError(Throwable cause) {
    return new ConnectFailure(Kind.TRANSPORT, "websocket error", new EngineIOException("websocket error", cause),
        null, true);
  }

  /** As engine.io-client's polling transport wraps a request's failure. */
  private static ConnectFailure pollError(Throwable cause) {
    return new ConnectFailure(Kind.TRANSPORT, "xhr poll error", new EngineIOException("xhr poll error", cause),
        null, true);
  }

  @Test
  void networkSteps() {
    assertThat(websocketError(new UnknownHostException("nope.invalid")).fault()).isEqualTo(Fault.DNS);
    assertThat(websocketError(new ConnectException("Connection refused")).fault()).isEqualTo(Fault.REFUSED);
    assertThat(pollError(new NoRouteToHostException("network down (reconnect drill)")).fault())
        .isEqualTo(Fault.REFUSED);
    assertThat(pollError(new SocketTimeoutException("connect timed out")).fault()).isEqualTo(Fault.TIMEOUT);
  }

  @Test
  void aTlsFailureDeepInNettysChainIsTls() {
    DecoderException netty = new DecoderException(new SSLHandshakeException("PKIX path building failed"));
    assertThat(websocketError(netty).fault()).isEqualTo(Fault.TLS);
  }

  @Test
  void aNettyConnectTimeoutIsATimeoutNotARefusal() {
    Exception reported = NettyWebSocket.asException(new io.netty.channel.ConnectTimeoutException("connect timed out"));
    assertThat(websocketError(reported).fault()).isEqualTo(Fault.TIMEOUT);
  }

  @Test
  void aRefusedUpgradeCarriesItsStatusWithoutAnyMessageBeingRead() {
    ConnectFailure failure = websocketError(new WebSocketUpgradeRefused(503, "Service Unavailable"));
    assertThat(failure.fault()).isEqualTo(Fault.UPGRADE_REFUSED);
    assertThat(failure.http().status()).isEqualTo(503);
    assertThat(failure.http().websocketHandshake()).isTrue();
    assertThat(failure.http().engineIoCode()).isEmpty();
  }

  @Test
  void theAnswerCapturedWithItsBodyIsKeptOverTheStatusInTheException() {
    HttpFailure seen = HttpFailure.fromAnswer(400, "{\"code\":3,\"message\":\"Bad request\"}", true);
    ConnectFailure failure = new ConnectFailure(Kind.TRANSPORT, "websocket error",
        new EngineIOException("websocket error", new WebSocketUpgradeRefused(400, "Bad Request")), seen, true);
    assertThat(failure.http()).isSameAs(seen);
  }

  @Test
  void aPollingErrorStatusIsReadFromTheLibrarysBareStatusMessage() {
    ConnectFailure failure = pollError(new IOException("502"));
    assertThat(failure.fault()).isEqualTo(Fault.HTTP_STATUS);
    assertThat(failure.http().status()).isEqualTo(502);
    assertThat(failure.http().websocketHandshake()).isFalse();
  }

  @Test
  void aServerThatDoesNotSpeakEngineIoV4() {
    EngineIOException parser = new EngineIOException("server error");
    parser.code = "parser error";
    assertThat(new ConnectFailure(Kind.TRANSPORT, "server error", parser, null, true).fault())
        .isEqualTo(Fault.NOT_ENGINE_IO);
    assertThat(websocketError(new JSONException("A JSONObject text must begin with '{'")).fault())
        .isEqualTo(Fault.NOT_ENGINE_IO);
    assertThat(pollError(new io.socketiocanary.client.polling.BodyTooLarge(1024)).fault()).isEqualTo(Fault.NOT_ENGINE_IO);
  }

  @Test
  void namespaceRejections() {
    assertThat(new ConnectFailure(Kind.NAMESPACE_REJECTED, "Invalid namespace", null, null, false).fault())
        .isEqualTo(Fault.INVALID_NAMESPACE);
    assertThat(new ConnectFailure(Kind.NAMESPACE_REJECTED, "token expired", null, null, false).fault())
        .isEqualTo(Fault.UNKNOWN);
  }

  @Test
  void anEndOfStreamIsAConnectionClosed() {
    assertThat(websocketError(new EOFException("connection closed without a close frame")).fault())
        .isEqualTo(Fault.CLOSED);
    assertThat(pollError(new EOFException("\\n not found: limit=0")).fault()).isEqualTo(Fault.CLOSED);
  }

  @Test
  void whatStatesNoFactIsUnknown() {
    assertThat(websocketError(new SocketException("Connection reset")).fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(websocketError(new ProtocolException("invalid handshake answer")).fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(new ConnectFailure(Kind.TIMEOUT, "timeout", new SocketIOException("timeout"), null, true).fault())
        .isEqualTo(Fault.UNKNOWN);
    assertThat(new ConnectFailure(Kind.TRANSPORT, "null", null, null, true).fault()).isEqualTo(Fault.UNKNOWN);
  }
}
