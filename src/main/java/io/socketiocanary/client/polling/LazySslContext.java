package io.socketiocanary.client.polling;

import io.netty.handler.ssl.SslContext;
import java.util.function.Supplier;

/**
 * A target's TLS context, built the first time a connection needs it. Building one with the
 * system's trust reads its whole store (some 140 certificates, and about 600 JDK and Netty classes
 * loaded for it), which a plain-http target never uses unless a redirect sends a poll to https:
 * an agent of http targets now pays none of it. Thread-safe. The first {@link #get()} can take a
 * while, so it is never called first on an event loop (see {@link PollingCalls#connect}).
 */
public final class LazySslContext {
  private final Supplier<SslContext> build;
  private volatile SslContext built;

  /** @param build makes the context; may throw (a CA file that became unreadable) */
  public LazySslContext(Supplier<SslContext> build) {
    this.build = build;
  }

  /** One that is built already (tests hand in a context of their making). */
  public static LazySslContext of(SslContext context) {
    LazySslContext ready = new LazySslContext(() -> context);
    ready.built = context;
    return ready;
  }

  boolean isBuilt() {
    return built != null;
  }

  /** The context, built now if it was not; may block for as long as the trust store takes to read. */
  public SslContext get() {
    SslContext context = built;
    if (context == null) {
      synchronized (this) {
        context = built;
        if (context == null) {
          context = build.get();
          built = context;
        }
      }
    }
    return context;
  }
}
