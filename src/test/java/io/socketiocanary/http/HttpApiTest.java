package io.socketiocanary.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.config.HttpSettings;
import io.socketiocanary.metrics.AgentMetrics;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The route table over real HTTP: the status page and its assets next to the unchanged endpoints. */
@ExtendWith(VertxExtension.class)
class HttpApiTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static AgentMetrics metrics;
  private static HttpApi api;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    metrics = new AgentMetrics("test");
    api = new HttpApi(new HttpSettings("127.0.0.1", 0), () -> io.socketiocanary.config.ApiSettings.NONE, metrics,
        new io.socketiocanary.rollout.Markers(metrics.registry(), java.time.Clock.systemUTC()), List::of, "test");
    vertx.deployVerticle(api).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void closeMetrics() {
    metrics.close();
  }

  @Test
  void theRootServesTheStatusPageUncachedWithAPolicyThatForbidsInlineScript() throws Exception {
    HttpResponse<String> page = get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
        assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline"));
    assertThat(page.body()).contains("<script src=\"status.js\"", "name=\"viewport\"");
  }

  @Test
  void theScriptAndStylesheetAreServedNextToThePage() throws Exception {
    assertThat(get("/status.js").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("javascript"));
    assertThat(get("/status.css").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    assertThat(get("/status.js").headers().firstValue("Cache-Control")).hasValue("no-cache");
  }

  @Test
  void nothingElseOnTheClasspathIsServed() throws Exception {
    assertThat(get("/reference.conf").statusCode()).isEqualTo(404);
    assertThat(get("/webroot/index.html").statusCode()).isEqualTo(404);
    assertThat(get("/status.js/../../reference.conf").statusCode()).isEqualTo(404);
  }

  @Test
  void theOtherEndpointsAnswerAsBefore() throws Exception {
    assertThat(get("/health").body()).isEqualTo("ok\n");
    assertThat(get("/metrics").body()).contains("socketio_canary_build_info");
    assertThat(get("/ready").statusCode()).isEqualTo(503); // no fleets
    HttpResponse<String> status = get("/api/status");
    assertThat(status.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(status.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(status.headers().firstValue("Content-Security-Policy")).isEmpty();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.actualPort() + path))
        .timeout(Duration.ofSeconds(5)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
