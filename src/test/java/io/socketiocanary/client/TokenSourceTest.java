package io.socketiocanary.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.config.AuthSettings;
import io.socketiocanary.config.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenSourceTest {
  @TempDir Path dir;

  @Test
  void aConfiguredTokenIsSentAndRedacted() throws Exception {
    TokenSource tokens = new TokenSource(new AuthSettings(Optional.of(new Secret("conf-token")), Optional.empty()));
    assertThat(tokens.current()).hasValue("conf-token");
    assertThat(tokens.secretsForRedaction()).containsExactly("conf-token");
  }

  @Test
  void aRotatedTokenFileIsReadOnEachConnectAndEarlierTokensStayRedacted() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "first-token\n");
    TokenSource tokens = new TokenSource(new AuthSettings(Optional.empty(), Optional.of(file)));
    assertThat(tokens.secretsForRedaction()).as("nothing sent yet").isEmpty();
    assertThat(tokens.current()).hasValue("first-token");
    Files.writeString(file, "second-token");
    assertThat(tokens.current()).hasValue("second-token");
    assertThat(tokens.secretsForRedaction()).containsExactly("first-token", "second-token");
    for (int i = 0; i < 10; i++) {
      Files.writeString(file, "token-" + i);
      tokens.current();
    }
    assertThat(tokens.secretsForRedaction()).hasSize(TokenSource.REMEMBERED_FILE_TOKENS).last().isEqualTo("token-9");
  }
}
