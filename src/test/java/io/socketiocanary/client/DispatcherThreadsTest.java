package io.socketiocanary.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs on whatever JDK runs the build: virtual threads exactly when the JVM has them. */
class DispatcherThreadsTest {
  @Test
  void usesVirtualThreadsExactlyOnJava21AndLater() throws Exception {
    ExecutorService virtual = DispatcherThreads.virtualThreadPerTask();
    if (Runtime.version().feature() < 21) {
      assertThat(virtual).isNull();
      return;
    }
    assertThat(virtual).isNotNull();
    try {
      Object isVirtual = virtual.submit(() -> Thread.class.getMethod("isVirtual").invoke(Thread.currentThread()))
          .get(5, TimeUnit.SECONDS);
      assertThat(isVirtual).isEqualTo(true);
    } finally {
      virtual.shutdownNow();
    }
  }

  @Test
  void theExecutorAlwaysRunsCalls() throws Exception {
    ExecutorService executor = DispatcherThreads.create();
    try {
      assertThat(executor.submit(() -> "ran").get(5, TimeUnit.SECONDS)).isEqualTo("ran");
    } finally {
      executor.shutdownNow();
    }
  }
}
