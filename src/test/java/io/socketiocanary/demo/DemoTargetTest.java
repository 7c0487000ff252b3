package io.socketiocanary.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starting the whole demo target, and its settings. */
class DemoTargetTest {

  @Test
  void startsInWellUnderTwoSecondsAndServesBothThroughTheProxyAndDirectly() throws Exception {
    long begin = System.nanoTime();
    Vertx vertx = Vertx.vertx();
    long vertxReady = System.nanoTime();
    DemoTarget target = new DemoTarget(vertx, DemoSettings.defaults());
    target.start().await(5, TimeUnit.SECONDS);
    long started = System.nanoTime();
    long startMs = TimeUnit.NANOSECONDS.toMillis(started - vertxReady);
    long withVertxMs = TimeUnit.NANOSECONDS.toMillis(started - begin);
    System.out.printf("demo target started in %d ms (%d ms including Vert.x itself)%n",
        startMs, withVertxMs);
    try {
      assertThat(withVertxMs).isLessThan(2_000);
      assertThat(target.proxyUrl()).matches("http://127\\.0\\.0\\.1:\\d+")
          .isNotEqualTo(target.directUrl());

      for (String url : new String[] {target.proxyUrl(), target.directUrl()}) {
        try (JavaClient client = JavaClient.connect(url, TransportMode.POLLING_UPGRADE)) {
          await().atMost(Duration.ofSeconds(5)).until(() -> client.connects.size() == 1);
          assertThat(client.emitWithAck("liveness", Duration.ofSeconds(5)).get()).hasSize(1);
        }
      }
    } finally {
      target.stop().await(5, TimeUnit.SECONDS);
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theProxyListensOnTheRequestedPort() throws Exception {
    int free;
    try (ServerSocket probe = new ServerSocket(0)) {
      free = probe.getLocalPort();
    }
    Vertx vertx = Vertx.vertx();
    DemoTarget target = new DemoTarget(vertx, DemoSettings.defaults(), free);
    try {
      target.start().await(5, TimeUnit.SECONDS);
      assertThat(target.proxyUrl()).isEqualTo("http://127.0.0.1:" + free);
      assertThat(target.proxy().idleTimeout()).isEqualTo(Duration.ofSeconds(8));
    } finally {
      target.stop().await(5, TimeUnit.SECONDS);
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void defaultsAreTheScaledDownNginxIncident() {
    assertThat(DemoSettings.defaults()).isEqualTo(new DemoSettings(
        Duration.ofSeconds(8), Duration.ofSeconds(20), Duration.ofSeconds(10)));
  }

  @Test
  void settingsRefuseANonPositiveDuration() {
    assertThatThrownBy(() -> new DemoSettings(Duration.ZERO, Duration.ofSeconds(1),
        Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("proxyIdleTimeout must be positive, was PT0S");
  }
}
