package io.socketiocanary.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The token a canary sends in the Socket.IO handshake's {@code auth} payload. At most one of the
 * two is present. Immutable and thread-safe.
 *
 * @param token a fixed token
 * @param tokenFile an absolute path to a file holding the token; the caller re-reads it on every
 *     connect so that rotated tokens are picked up. It existed and was readable at load time.
 */
public record AuthSettings(Optional<Secret> token, Optional<Path> tokenFile) {
  /** No authentication. */
  public static final AuthSettings NONE = new AuthSettings(Optional.empty(), Optional.empty());

  public AuthSettings {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(tokenFile, "tokenFile");
  }

  /** Whether the handshake carries a token. */
  public boolean enabled() {
    return token.isPresent() || tokenFile.isPresent();
  }
}
