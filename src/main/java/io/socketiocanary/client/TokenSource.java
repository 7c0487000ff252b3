package io.socketiocanary.client;

import io.socketiocanary.config.AuthSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The handshake auth token of a target: the configured value, or the token file's content read
 * again on every connect attempt, so a rotated token (a Kubernetes secret update) is picked up
 * without a restart.
 *
 * <p>Thread-safe. The token is never logged; a failure to read the file is reported without it.
 */
public final class TokenSource {
  /** A rotated file's earlier tokens stay masked for a while: a late error may still echo them. */
  static final int REMEMBERED_FILE_TOKENS = 4;

  private final AuthSettings auth;
  /** The distinct tokens last read from the file, newest last; guarded by {@code this}. */
  private final Deque<String> readFromFile = new ArrayDeque<>(REMEMBERED_FILE_TOKENS);

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
      if (content.isEmpty()) {
        return Optional.empty();
      }
      remember(content);
      return Optional.of(content);
    }
    return Optional.empty();
  }

  /**
   * Every token this source has handed out recently, for redaction. No I/O: redaction runs for
   * every logged error, and the only tokens a server can echo are ones the canaries sent.
   */
  public List<String> secretsForRedaction() {
    if (auth.token().isPresent()) {
      return List.of(auth.token().get().reveal());
    }
    synchronized (this) {
      return List.copyOf(readFromFile);
    }
  }

  private synchronized void remember(String token) {
    if (token.equals(readFromFile.peekLast())) {
      return;
    }
    readFromFile.remove(token);
    readFromFile.addLast(token);
    if (readFromFile.size() > REMEMBERED_FILE_TOKENS) {
      readFromFile.removeFirst();
    }
  }
}
