package io.socketiocanary.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EngineIoErrorBodyTest {
  @Test
  void engineIoErrorBodiesAreDecodedWithTheMeaningOfTheirCode() {
    var error = EngineIoErrorBody.parse("{\"code\":1,\"message\":\"Session ID unknown\"}").orElseThrow();
    assertThat(error.code()).isEqualTo(1);
    assertThat(error.is(EngineIoError.UNKNOWN_SID)).isTrue();
    assertThat(error.toString()).isEqualTo("Engine.IO error 1 (Session ID unknown): Session ID unknown");
    assertThat(List.of(0, 2, 3, 4, 5, 9).stream().map(c -> new EngineIoErrorBody(c, "").meaning()))
        .containsExactly("Transport unknown", "Bad handshake method", "Bad request", "Forbidden",
            "Unsupported protocol version", "unknown code");
  }

  @Test
  void otherBodiesAreNoEngineIoError() {
    assertThat(EngineIoErrorBody.parse("<html>502 Bad Gateway</html>")).isEmpty();
    assertThat(EngineIoErrorBody.parse("{\"message\":\"no code\"}")).isEmpty();
    assertThat(EngineIoErrorBody.parse("{\"code\":\"1\"}")).as("code as text").isEmpty();
    assertThat(EngineIoErrorBody.parse(null)).isEmpty();
  }

  @Test
  void theBodyEngineIoSendsReadsBackAsItsCode() {
    assertThat(EngineIoError.UNKNOWN_SID.body()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
    for (EngineIoError error : EngineIoError.values()) {
      assertThat(EngineIoErrorBody.parse(error.body())).hasValue(new EngineIoErrorBody(error.code(), error.message()));
    }
  }
}
