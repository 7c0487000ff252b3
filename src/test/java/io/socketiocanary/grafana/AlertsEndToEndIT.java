package io.socketiocanary.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socketiocanary.config.MetricDetail;
import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.Nginx;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import io.socketiocanary.testsupport.PrometheusServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 4 end to end: a real Prometheus scrapes a real agent whose canaries (every transport mode)
 * go through a real nginx to a real Socket.IO server, with the real rules file loaded. The test
 * breaks the path twice, the way the field guide's incidents did, and asks Prometheus's HTTP API
 * whether the matching alerts fire; then it runs every query of both dashboards.
 *
 * <p>The rules are loaded from a copy whose {@code for:} durations are all 5s and whose alert
 * windows ({@code avg_over_time(...[4m])} and the like) are all 10s, so the test needs seconds
 * rather than minutes. The durations themselves are pinned by the promtool unit tests
 * ({@code grafana/alerts/socketio-canary-rules.test.yml}, run by {@link AlertRulesIT}); the
 * expressions and their thresholds are otherwise loaded verbatim.
 */
class AlertsEndToEndIT {
  private static final Path RULES = Path.of("grafana", "alerts", "socketio-canary-rules.yml");
  private static final Path DASHBOARDS = Path.of("grafana", "dashboards");
  private static final Pattern FOR = Pattern.compile("(?m)^([ \\t]+for:[ \\t]*)\\S+[ \\t]*$");
  private static final Pattern WINDOW = Pattern.compile("(_over_time\\([^\\[\\n]+)\\[\\d+m\\]");
  private static final Pattern RECORD = Pattern.compile("(?m)^[ \\t]+- record:[ \\t]*(\\S+)[ \\t]*$");
  private static final String TOKEN = "e2e-marker-token-5d2a7c";
  private static final String JOB = "socketio-canary";
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Map<String, String> VARIABLES = Map.of(
      "datasource", "prometheus", "target", ".*", "transport", ".*", "vantage", ".*", "rollout", ".*", "job", JOB,
      "compare_offset", "1m", "__rate_interval", "1m", "__interval", "15s", "__range", "5m");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path dir;

  private final Instant start = Instant.now();
  private final List<String> timeline = new ArrayList<>();
  private final Map<String, Instant> firedAt = new LinkedHashMap<>();

  /** In both {@code canary.metrics.detail} modes: the dashboards and rules must not depend on full detail. */
  @ParameterizedTest
  @EnumSource(MetricDetail.class)
  void idleTimeoutAndMissingUpgradeHeadersFireTheirAlertsAndEveryDashboardQueryReturnsData(MetricDetail detail)
      throws Exception {
    List<DashboardQueries.Query> queries = DashboardQueries.load(DASHBOARDS, VARIABLES);
    // A numbered broadcast only when the test asks: traffic every second would keep the idle
    // connections of phase 2 from ever being idle.
    try (NodeSocketIoServer server = NodeSocketIoServer.builder()
            .pingInterval(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(5)).broadcast("tick", Duration.ZERO)
            .start();
        Nginx nginx = Nginx.builder().upstream(server.port()).readTimeout(Duration.ofSeconds(60)).start()) {
      int agentPort = FreePorts.pick();
      // Probes and drills make the probe and drill series exist; idle 5s stays under the healthy
      // proxy's 60s but over the broken one's 3s, so idle connections still die in phase 2.
      String config = CanaryConfig.onPort(agentPort).agent("metrics { detail = " + detail.label() + " }")
          .target("chat", nginx.url(), """
          clients = 2
          idle = 5s
          probe { event = "canary-probe", timeout = 2s }
          drill { enabled = true, interval = 5s, timeout = 3s }
          subscribe { event = tick }""").hocon();
      try (AgentProcess agent = AgentProcess.builder().name("alerts-e2e").httpPort(agentPort).config(config)
              .env("CANARY_API_TOKEN", TOKEN).start();
          PrometheusServer prometheus = PrometheusServer.start(dir.resolve("data"), dir, prometheusConfig(agentPort))) {
        runScenario(server, nginx, agent, prometheus, queries);
      } finally {
        System.out.println("AlertsEndToEndIT timeline (" + detail.label() + "):\n  " + String.join("\n  ", timeline));
      }
    }
  }

  private void runScenario(NodeSocketIoServer server, Nginx nginx, AgentProcess agent, PrometheusServer prometheus,
      List<DashboardQueries.Query> queries) throws Exception {
    agent.awaitReady(Duration.ofSeconds(20));

    mark("phase 1: healthy, nginx proxy_read_timeout 60s");
    // Prometheus applies its targets only about 5s after it starts, so until the first scrape
    // absent(socketio_canary:agent_up) holds and the shortened AgentDown fires (the real 2m
    // does not). The healthy phase is judged from the first scrape with the fleet connected on.
    Set<String> startup = new TreeSet<>();
    await().atMost(Duration.ofSeconds(60)).pollInterval(POLL).untilAsserted(() -> {
      firing(prometheus).forEach(alert -> startup.add(key(alert.getJsonObject("labels"))));
      assertThat(values(prometheus.query("up{job=\"" + JOB + "\"}"))).containsExactly(1.0);
      assertThat(values(prometheus.query("fleet:socketio_canary_connected:sum"))).containsExactly(2.0, 2.0, 2.0);
    });
    mark("scraped, every fleet connected" + (startup.isEmpty() ? "" : "; fired before the first scrape: " + startup));
    postMarker(agent, "{\"label\":\"e2e-proxy-change\",\"description\":\"nginx proxy_read_timeout 60s -> 3s\"}");
    // Long enough for any 5s alert of a healthy fleet to have fired.
    for (int i = 0; i < 12; i++) {
      observeAlerts(prometheus);
      Thread.sleep(POLL.toMillis());
    }
    assertThat(firedAt.keySet()).as("alerts that fired on a healthy fleet").isEmpty();
    report("phase 1", queries, withoutData(prometheus, queries));

    mark("phase 2: nginx proxy_read_timeout 3s (server pings every 10s)");
    nginx.reload(b -> b.readTimeout(Duration.ofSeconds(3)));
    // An old nginx worker keeps serving upgraded connections (pings keep them busy) with the
    // old timeout; cut them so every canary reconnects through the new worker.
    server.closeAllTcp();
    awaitFiring(prometheus, Duration.ofSeconds(120),
        "SocketIOCanaryProxyIdleTimeout{transport=websocket}",
        "SocketIOCanaryProxyIdleTimeout{transport=polling}",
        "SocketIOCanaryProxyIdleTimeout{transport=polling_upgrade}");

    mark("phase 3: nginx without Upgrade/Connection headers, proxy_read_timeout 60s");
    nginx.reload(b -> b.upgradeHeaders(false).readTimeout(Duration.ofSeconds(60)));
    awaitFiring(prometheus, Duration.ofSeconds(120),
        "SocketIOCanaryTransportDown{transport=websocket}",
        "SocketIOCanaryStuckOnPolling{transport=polling_upgrade}",
        "SocketIOCanaryConnectErrors{transport=websocket,reason=websocket_upgrade}");

    // One instant must suit both kinds of query: the "$compare_offset earlier" ones (offset 1m)
    // need phase 2 to be a minute old, the [1m] reconnect ones need phase 3's reconnects to be
    // less than a minute old. The phases' own timers put that instant roughly 60-80s into phase 2.
    mark("end: every dashboard query, recording rule and the target");
    List<String> missing = new ArrayList<>();
    try {
      await().atMost(Duration.ofSeconds(90)).pollInterval(POLL).untilAsserted(() -> {
        // Messages of the subscribed event, for the continuity panel's silence between two of them.
        server.broadcast();
        missing.clear();
        missing.addAll(withoutData(prometheus, queries));
        assertThat(missing).isEmpty();
      });
    } finally {
      report("end", queries, missing);
    }
    assertThat(queries).hasSizeGreaterThan(40);
    for (String record : recordNames()) {
      assertThat(prometheus.query(record)).as("recording rule %s", record).isNotEmpty();
    }
    assertThat(values(prometheus.query("up{job=\"" + JOB + "\"}"))).containsExactly(1.0);
  }

  /** The test's Prometheus: 1s scrapes and evaluations, the agent as job socketio-canary, the rules copy. */
  private String prometheusConfig(int agentPort) throws Exception {
    String rules = Files.readString(RULES);
    long alerts = rules.lines().filter(l -> l.strip().startsWith("- alert:")).count();
    assertThat(FOR.matcher(rules).results().count()).as("one for: per alert").isEqualTo(alerts);
    Path copy = dir.resolve("socketio-canary-rules.yml");
    String shortFor = FOR.matcher(rules).replaceAll(m -> m.group(1) + "5s");
    assertThat(WINDOW.matcher(shortFor).results().count()).as("windowed alert expressions").isGreaterThan(5);
    Files.writeString(copy, WINDOW.matcher(shortFor).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + "[10s]"));
    return """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
          - job_name: %s
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """.formatted(copy, JOB, agentPort);
  }

  private static List<String> recordNames() throws Exception {
    return RECORD.matcher(Files.readString(RULES)).results().map(m -> m.group(1)).toList();
  }

  private void awaitFiring(PrometheusServer prometheus, Duration atMost, String... alerts) {
    await().atMost(atMost).pollInterval(POLL).untilAsserted(() -> {
      observeAlerts(prometheus);
      assertThat(firedAt.keySet()).as("alerts that fired so far").contains(alerts);
    });
  }

  /** Records the first time each alert is seen firing, with its activeAt (when it became pending). */
  private void observeAlerts(PrometheusServer prometheus) {
    for (JsonObject alert : firing(prometheus)) {
      String key = key(alert.getJsonObject("labels"));
      if (!firedAt.containsKey(key)) {
        Instant now = Instant.now();
        firedAt.put(key, now);
        timeline.add(String.format(Locale.ROOT, "%6.1fs  firing  %s (pending since %.1fs, value %.3f)", since(now), key,
            since(Instant.parse(alert.getString("activeAt"))), Double.parseDouble(alert.getString("value"))));
      }
    }
  }

  private static List<JsonObject> firing(PrometheusServer prometheus) {
    List<JsonObject> firing = new ArrayList<>();
    JsonArray alerts = prometheus.alerts();
    for (int i = 0; i < alerts.size(); i++) {
      JsonObject alert = alerts.getJsonObject(i);
      if ("firing".equals(alert.getString("state"))) {
        firing.add(alert);
      }
    }
    return firing;
  }

  private static String key(JsonObject labels) {
    List<String> parts = new ArrayList<>();
    for (String label : List.of("transport", "reason")) {
      if (labels.getString(label) != null) {
        parts.add(label + "=" + labels.getString(label));
      }
    }
    return labels.getString("alertname") + (parts.isEmpty() ? "" : "{" + String.join(",", parts) + "}");
  }

  /**
   * The queries that return no sample, or only NaN (what Grafana draws as no data), at one instant.
   * An annotation is a range query in Grafana, so it runs over the test so far.
   */
  private List<String> withoutData(PrometheusServer prometheus, List<DashboardQueries.Query> queries) {
    Instant now = Instant.now();
    List<String> missing = new ArrayList<>();
    for (DashboardQueries.Query query : queries) {
      boolean data = query.annotation()
          ? !prometheus.queryRange(query.expr(), start, now, Duration.ofSeconds(15)).isEmpty()
          : values(prometheus.query(query.expr(), now)).stream().anyMatch(v -> !v.isNaN());
      if (!data) {
        missing.add(query.toString());
      }
    }
    return missing;
  }

  private void report(String when, List<DashboardQueries.Query> queries, List<String> missing) {
    timeline.add(String.format(Locale.ROOT, "%6.1fs  %s: %d of %d dashboard queries return data%s", since(Instant.now()),
        when, queries.size() - missing.size(), queries.size(),
        missing.isEmpty() ? "" : "; without data:\n            " + String.join("\n            ", missing)));
  }

  /** The sample values of an instant vector, sorted. */
  private static List<Double> values(JsonArray vector) {
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < vector.size(); i++) {
      values.add(Double.parseDouble(vector.getJsonObject(i).getJsonArray("value").getString(1)));
    }
    values.sort(null);
    return values;
  }

  private void postMarker(AgentProcess agent, String body) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(agent.url() + "/api/markers"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("POST /api/markers: %s", response.body()).isEqualTo(201);
    mark("rollout marker posted");
  }

  private void mark(String event) {
    timeline.add(String.format(Locale.ROOT, "%6.1fs  %s", since(Instant.now()), event));
  }

  private double since(Instant t) {
    return Duration.between(start, t).toMillis() / 1000.0;
  }
}
