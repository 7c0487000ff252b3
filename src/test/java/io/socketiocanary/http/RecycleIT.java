package io.socketiocanary.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.MetricsSnapshot;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rollout recycles over the real HTTP API of a running agent against a real Socket.IO server: a
 * marker with {@code "recycle": false} only makes every connection "old", POST /api/recycle then
 * re-establishes every canary's connection within the configured spread, counted as recycles and
 * in no organic figure.
 */
class RecycleIT {
  private static final String TOKEN = "recycle-token-3e8b1d";
  private static final Duration SPREAD = Duration.ofSeconds(2);
  private static final List<String> TRANSPORTS = List.of("websocket", "polling", "polling_upgrade");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void aRecycleReestablishesEveryConnectionWithinTheSpreadAndNoOrganicFigureMoves() throws Exception {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().start()) {
      int port = FreePorts.pick();
      String config = CanaryConfig.onPort(port).target("app", server.url(), "clients = 3\nidle = 60s").hocon()
          + "canary.api.recycle-spread = " + SPREAD.toMillis() + "ms\n";
      try (AgentProcess agent = AgentProcess.builder().name("recycle").httpPort(port).config(config)
          .env("CANARY_API_TOKEN", TOKEN).start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
          MetricsSnapshot m = agent.scrape();
          for (String t : TRANSPORTS) {
            assertThat(m.sum("socketio_canary_connected", fleet(t))).as(t).isEqualTo(3);
            assertThat(m.sum("socketio_canary_stale_connections", fleet(t))).as("%s before any marker", t).isZero();
          }
        });
        MetricsSnapshot before = agent.scrape();

        assertThat(post(port, "/api/recycle", "", null).statusCode()).isEqualTo(401);
        HttpResponse<String> marker = post(port, "/api/markers", "{\"label\":\"no-recycle\",\"recycle\":false}", TOKEN);
        assertThat(marker.statusCode()).isEqualTo(201);
        assertThat(new JsonObject(marker.body()).getJsonObject("recycle").getInteger("canaries")).isZero();
        MetricsSnapshot marked = agent.scrape();
        for (String t : TRANSPORTS) {
          assertThat(marked.sum("socketio_canary_stale_connections", fleet(t))).as("%s after the marker", t).isEqualTo(3);
          assertThat(marked.sum("socketio_canary_recycles_total", fleet(t))).isZero();
        }

        Instant asked = Instant.now();
        HttpResponse<String> recycle = post(port, "/api/recycle", "", TOKEN);
        assertThat(recycle.statusCode()).isEqualTo(202);
        assertThat(new JsonObject(recycle.body()))
            .isEqualTo(new JsonObject().put("canaries", 9).put("spread_seconds", 2.0));
        await().atMost(SPREAD.plusSeconds(10)).untilAsserted(() -> {
          MetricsSnapshot m = agent.scrape();
          for (String t : TRANSPORTS) {
            assertThat(m.sum("socketio_canary_recycles_total", fleet(t))).as(t).isEqualTo(3);
            assertThat(m.sum("socketio_canary_connected", fleet(t))).as(t).isEqualTo(3);
            assertThat(m.sum("socketio_canary_stale_connections", fleet(t))).as(t).isZero();
          }
        });

        MetricsSnapshot after = agent.scrape();
        for (String t : TRANSPORTS) {
          Map<String, String> f = fleet(t);
          assertThat(after.sum("socketio_canary_disconnects_total", f)).as("%s disconnects", t).isZero();
          assertThat(after.sum("socketio_canary_connects_total", f)).as("%s connects", t)
              .isEqualTo(before.sum("socketio_canary_connects_total", f));
          assertThat(after.histogramCount("socketio_canary_connection_lifetime_seconds", f)).as("%s lifetimes", t).isZero();
          assertThat(after.histogramCount("socketio_canary_reconnect_duration_seconds", f)).as("%s reconnects", t).isZero();
        }
        // Every connection is new, and they were re-established one by one across the spread, not at once.
        List<Instant> since = new ArrayList<>();
        JsonObject status = new JsonObject(agent.get("/api/status").body());
        for (Object target : status.getJsonArray("targets")) {
          for (Object fleet : ((JsonObject) target).getJsonArray("fleets")) {
            JsonArray canaries = ((JsonObject) fleet).getJsonArray("canaries");
            canaries.forEach(c -> since.add(Instant.parse(((JsonObject) c).getString("connected_since"))));
          }
        }
        assertThat(since).hasSize(9).allSatisfy(s -> assertThat(s).isAfter(asked));
        Instant first = since.stream().min(Instant::compareTo).orElseThrow();
        Instant last = since.stream().max(Instant::compareTo).orElseThrow();
        System.out.printf("recycle: 9 connections re-established between +%d ms and +%d ms (spread %d ms)%n",
            Duration.between(asked, first).toMillis(), Duration.between(asked, last).toMillis(), SPREAD.toMillis());
        // Uniform over 2 s: 9 draws all within 200 ms of each other has a chance below 1e-7.
        assertThat(Duration.between(first, last)).isGreaterThan(Duration.ofMillis(200));
        assertThat(String.join("\n", agent.process().lines())).doesNotContain(TOKEN);
      }
    }
  }

  private static Map<String, String> fleet(String transport) {
    return Map.of("target", "app", "transport", transport);
  }

  private static HttpResponse<String> post(int port, String path, String body, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
        .timeout(Duration.ofSeconds(5));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
