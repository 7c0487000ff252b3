package io.socketiocanary.demo;

import java.security.SecureRandom;
import java.util.Base64;

/** Random, URL-safe session and socket ids (20 characters). Thread-safe. */
final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Ids() {}

  static String next() {
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }
}
