package io.socketiocanary.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a target's certificate is checked. System trust by default. Immutable.
 *
 * @param caFile PEM certificates to trust instead of the system's (a private CA)
 * @param insecureSkipVerify accept any certificate and host name: for a lab only; the agent warns
 *     loudly at start-up and marks it on {@code socketio_canary_build_info}
 */
public record TlsSettings(Optional<Path> caFile, boolean insecureSkipVerify) {
  public static final TlsSettings SYSTEM = new TlsSettings(Optional.empty(), false);
}
