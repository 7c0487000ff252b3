package io.socketiocanary.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineIoErrorBodyTest {
  @Test
  void readsCodeAndMessageOfAnEngineIoErrorBody() {
    HttpFailure f = EngineIoErrorBody.parse(400, "{\"code\":1,\"message\":\"Session ID unknown\"}", false);
    assertThat(f.status()).isEqualTo(400);
    assertThat(f.engineIoCode()).hasValue(1);
    assertThat(f.message()).isEqualTo("Session ID unknown");
  }

  @Test
  void keepsTheFirstLineOfAnyOtherBodyTruncated() {
    HttpFailure f = EngineIoErrorBody.parse(502, "<html>\n<head><title>502 Bad Gateway</title>", true);
    assertThat(f.engineIoCode()).isEmpty();
    assertThat(f.message()).isEqualTo("<html>");
    assertThat(f.websocketHandshake()).isTrue();
    assertThat(EngineIoErrorBody.parse(500, "x".repeat(1000), false).message()).hasSize(EngineIoErrorBody.MAX_MESSAGE + 1);
  }
}
