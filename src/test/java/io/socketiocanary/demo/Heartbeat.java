package io.socketiocanary.demo;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The conformance server's heartbeat for one test, when it is not the suites' 300 ms / 200 ms.
 * The suites run each case's steps inside one ping interval and hope: a poll that comes after the
 * next ping also carries the ping, a pong later than 200 ms ends the session. On a busy machine
 * that hope fails, so a case whose subject is not the heartbeat moves the ping out of its way, and
 * the ping/pong cases give the pong time; the handshake and ping-timeout cases keep the suites'
 * values.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Heartbeat {
  /** No ping during the case. */
  long OUT_OF_THE_WAY = 30_000;

  long intervalMs();

  long timeoutMs();
}
