package io.socketiocanary.client;

import io.socketiocanary.config.AuthSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;

/**
 * The handshake auth token of a target: the configured value, or the token file's content read
 * again on every connect attempt, so a rotated token (a Kubernetes secret update) is picked up
 * without a restart.
 *
 * <p>Thread-safe. The token is never logged; a failure to read the file is reported without it.
 */
public final class TokenSource {
  private final AuthSettings auth;

  public TokenSource(AuthSettings auth) {
    this.auth = auth;
  }

  /** The token to send now, if any. */
  public Optional<String> current() throws IOException {
    if (auth.token().isPresent()) {
      return Optional.of(auth.token().get().reveal());
    }
    if (auth.tokenFile().isPresent()) {
      String content = Files.readString(auth.tokenFile().get(), StandardCharsets.UTF_8).strip();
      return content.isEmpty() ? Optional.empty() : Optional.of(content);
    }
    return Optional.empty();
  }

  /** Every secret this source can produce right now, for redaction. */
  public Optional<String> secretForRedaction() {
    try {
      return current();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
