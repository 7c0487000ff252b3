package io.socketiocanary.canary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void replacesEverySecretInTextFromServers() {
    Redactor r = new Redactor(() -> List.of("s3cr3t-token", "Bearer abcdef"));
    assertThat(r.redact("invalid token s3cr3t-token for Bearer abcdef"))
        .isEqualTo("invalid token [redacted] for [redacted]");
    assertThat(r.redact(null)).isNull();
  }

  @Test
  void veryShortValuesAreNotMaskedEverywhere() {
    assertThat(new Redactor(() -> List.of("a")).redact("a cat")).isEqualTo("a cat");
  }
}
