package io.socketiocanary.canary;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;

/** The canaries' timers in the agent: Vert.x timers, which fire on the context that set them. */
final class VertxTimers implements Timers {
  private final Vertx vertx;

  VertxTimers(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Timer schedule(Duration delay, Runnable action) {
    // Vert.x refuses delays under a millisecond.
    long id = vertx.setTimer(Math.max(1, delay.toMillis()), fired -> action.run());
    return () -> vertx.cancelTimer(id);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return Instant.now();
  }
}
