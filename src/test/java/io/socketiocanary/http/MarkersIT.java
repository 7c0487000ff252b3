package io.socketiocanary.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.MetricsSnapshot;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rollout markers over the real HTTP API of a running agent. */
class MarkersIT {
  private static final String TOKEN = "marker-token-6f1c2a";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void markersRequireTheTokenAndShowUpInMetricsAndTheMarkerList() throws Exception {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().start()) {
      int port = FreePorts.pick();
      String config = CanaryConfig.onPort(port).target("api", server.url(), "clients = 1\ntransports = [websocket]").hocon();
      try (AgentProcess agent = AgentProcess.builder().name("markers").httpPort(port).config(config)
          .env("CANARY_API_TOKEN", TOKEN).env("CANARY_ROLLOUT", "nginx-new").start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        String body = "{\"label\":\"nginx-timeout-3600\",\"description\":\"proxy_read_timeout 60s -> 3600s\"}";

        assertThat(post(port, body, null).statusCode()).isEqualTo(401);
        assertThat(post(port, body, "Bearer wrong-token").statusCode()).isEqualTo(401);
        assertThat(post(port, "{\"label\":\"has spaces\"}", "Bearer " + TOKEN).statusCode()).isEqualTo(400);
        assertThat(post(port, "not json", "Bearer " + TOKEN).statusCode()).isEqualTo(400);
        assertThat(post(port, "{\"label\":\"" + "x".repeat(5000) + "\"}", "Bearer " + TOKEN).statusCode()).isEqualTo(413);

        HttpResponse<String> created = post(port, body, "Bearer " + TOKEN);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(new JsonObject(created.body()).getString("label")).isEqualTo("nginx-timeout-3600");

        MetricsSnapshot m = agent.scrape();
        double at = m.value("socketio_canary_marker_timestamp_seconds", Map.of("marker", "nginx-timeout-3600")).orElseThrow();
        assertThat(at).isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(30.0));
        assertThat(m.series("socketio_canary_build_info")).singleElement()
            .satisfies(s -> assertThat(s.labels()).containsEntry("rollout", "nginx-new"));

        JsonObject list = new JsonObject(agent.get("/api/markers").body());
        assertThat(list.getJsonArray("markers")).hasSize(1);
        assertThat(list.getJsonArray("markers").getJsonObject(0).getString("description"))
            .isEqualTo("proxy_read_timeout 60s -> 3600s");

        assertThat(agent.get("/no/such/endpoint").status()).isEqualTo(404);
        assertThat(String.join("\n", agent.process().lines())).doesNotContain(TOKEN);
      }
    }
  }

  @Test
  void withoutATokenTheMutatingApiIsDisabledAndSaysSo() throws Exception {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().start()) {
      int port = FreePorts.pick();
      String config = CanaryConfig.onPort(port).target("api", server.url(), "clients = 1\ntransports = [websocket]").hocon();
      try (AgentProcess agent = AgentProcess.builder().name("markers-off").httpPort(port).config(config).start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        HttpResponse<String> response = post(port, "{\"label\":\"x\"}", "Bearer anything");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("canary.api.token");
        agent.process().awaitLine(java.util.regex.Pattern.compile("mutating API disabled"), Duration.ofSeconds(5));
      }
    }
  }

  private static HttpResponse<String> post(int port, String body, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/markers"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
