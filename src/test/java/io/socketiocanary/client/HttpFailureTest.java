package io.socketiocanary.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpFailureTest {
  @Test
  void readsCodeAndMessageOfAnEngineIoErrorBody() {
    HttpFailure f = HttpFailure.fromAnswer(400, "{\"code\":1,\"message\":\"Session ID unknown\"}", false);
    assertThat(f.status()).isEqualTo(400);
    assertThat(f.engineIoCode()).hasValue(1);
    assertThat(f.message()).isEqualTo("Session ID unknown");
  }

  @Test
  void keepsTheFirstLineOfAnyOtherBodyTruncated() {
    HttpFailure f = HttpFailure.fromAnswer(502, "<html>\n<head><title>502 Bad Gateway</title>", true);
    assertThat(f.engineIoCode()).isEmpty();
    assertThat(f.message()).isEqualTo("<html>");
    assertThat(f.websocketHandshake()).isTrue();
    assertThat(HttpFailure.fromAnswer(500, "x".repeat(1000), false).message()).hasSize(HttpFailure.MAX_MESSAGE + 1);
  }

  @Test
  void readsTheMessageAsJsonSoEscapesAreUndone() {
    HttpFailure f = HttpFailure.fromAnswer(403, "{\"code\":4,\"message\":\"origin \\\"x\\\" not allowed\"}", false);
    assertThat(f.engineIoCode()).hasValue(4);
    assertThat(f.message()).isEqualTo("origin \"x\" not allowed");
  }
}
