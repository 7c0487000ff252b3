package io.socketiocanary.canary;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Replaces a target's secrets (its auth token, the values of its extra headers) in any text that
 * came from a server or the client, before it reaches a log line or the status API. Servers do
 * echo what they were sent ("invalid token abc…"), so errors are not trusted to be clean.
 *
 * <p>Thread-safe. Secrets are fetched on each call, so a rotated token file is covered too.
 */
public final class Redactor {
  static final String MASK = "[redacted]";
  /** Shorter values are too likely to match innocent text; they are still never logged directly. */
  private static final int MIN_SECRET_LENGTH = 4;

  private final Supplier<List<String>> secrets;

  public Redactor(Supplier<List<String>> secrets) {
    this.secrets = secrets;
  }

  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : secrets.get()) {
      if (Objects.nonNull(secret) && secret.length() >= MIN_SECRET_LENGTH) {
        result = result.replace(secret, MASK);
      }
    }
    return result;
  }
}
