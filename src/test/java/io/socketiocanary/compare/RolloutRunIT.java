package io.socketiocanary.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socketiocanary.Main;
import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.Nginx;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import io.socketiocanary.testsupport.PrometheusServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout run of issue 14 end to end, as an SRE would do it, shortened: a real nginx whose
 * proxy_read_timeout (3 s) is below the server's ping interval (10 s), a real Prometheus scraping
 * two real agents every second, five canaries per transport mode each. The fix (reload to 3600 s,
 * then a's marker; b's just before the reload, see there) and the regression (reload back to 3 s,
 * then a marker each), then {@code compare --marker ... --window 20s} for each.
 *
 * <p>Agent "a" records its markers with the default recycle; agent "b" with {@code "recycle":
 * false}. An nginx reload leaves established connections on the old workers with the old
 * settings, so b's idle WebSocket canaries never meet the regression: without the recycle the
 * gate would pass it. With the recycle the fix is better and the regression worse on every
 * transport; without it, compare says stale for the fleets that kept their old connections.
 */
class RolloutRunIT {
  private static final String TOKEN = "rollout-run-token-9a4c";
  private static final Duration WINDOW = Duration.ofSeconds(20);
  private static final Map<String, String> MODES =
      Map.of("ws", "websocket", "pl", "polling", "up", "polling_upgrade");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  @Test
  void theFixIsBetterAndTheRegressionWorseOnEveryTransportWithTheRecycleAndStaleWithout() throws Exception {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder()
            .pingInterval(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(5)).start();
        Nginx nginx = Nginx.builder().upstream(server.port()).readTimeout(Duration.ofSeconds(3)).start()) {
      int portA = FreePorts.pick();
      int portB = FreePorts.pick();
      try (AgentProcess a = agent("a", portA, nginx.url());
          AgentProcess b = agent("b", portB, nginx.url());
          PrometheusServer prometheus = PrometheusServer.start(dir.resolve("data"), dir, """
              global:
                scrape_interval: 1s
              scrape_configs:
                - job_name: socketio-canary
                  static_configs:
                    - targets: ["127.0.0.1:%d", "127.0.0.1:%d"]
              """.formatted(portA, portB))) {
        a.awaitReady(Duration.ofSeconds(20));
        b.awaitReady(Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
            assertThat(prometheus.query("socketio_canary_clients")).hasSize(6));

        // The before window of the fix: nginx cuts every connection idle for 3 s.
        Thread.sleep(WINDOW.plusSeconds(4).toMillis());
        // b marks the fix just before the reload. Marked after it, a canary that reconnected
        // through the new workers in between counts as on an old connection (it was made before
        // the marker), and with every connection cut after 3 s that was most of a fleet once, on a
        // slowed machine (reproduced with a 5 s gap: 5 of 5 per fleet). a's recycle re-establishes
        // such connections, so a marks after the change, as the README says.
        mark(portB, "fix-b", false);
        nginx.reload(n -> n.readTimeout(Duration.ofSeconds(3600)));
        Instant fix = mark(portA, "fix", true);

        // The before window of the regression starts once the old 3 s workers' connections are gone.
        Thread.sleep(WINDOW.plusSeconds(6).toMillis());
        nginx.reload(n -> n.readTimeout(Duration.ofSeconds(3)));
        Instant regress = mark(portA, "regress", true);
        mark(portB, "regress-b", false);
        assertThat(Duration.between(fix, regress)).isGreaterThan(WINDOW);

        // The after window must be complete and scraped.
        Instant due = regress.plus(WINDOW).plusSeconds(3);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), due).toMillis()));

        Map<String, Run> runs = new LinkedHashMap<>();
        for (String marker : List.of("fix", "fix-b", "regress", "regress-b")) {
          String agent = marker.endsWith("-b") ? "b" : "a";
          for (String mode : MODES.keySet()) {
            Run run = compare(prometheus, marker, agent + "-" + mode);
            runs.put(marker + " " + agent + "-" + mode, run);
            System.out.printf("%s %s-%s: exit %d, %s%n", marker, agent, mode, run.exitCode(), summary(run));
          }
        }

        for (String mode : MODES.keySet()) {
          String transport = MODES.get(mode);
          Run fixA = runs.get("fix a-" + mode);
          assertThat(fixA.exitCode()).as("fix, recycled, %s: %s", transport, fixA.err()).isZero();
          assertThat(verdict(fixA, "disconnects/h all")).as("fix, recycled, %s", transport).isEqualTo("better");
          assertThat(verdict(fixA, "old connections")).as("fix, recycled, %s", transport).isEqualTo("fresh");

          Run regressA = runs.get("regress a-" + mode);
          assertThat(regressA.exitCode()).as("regression, recycled, %s: %s", transport, regressA.err()).isEqualTo(3);
          assertThat(verdict(regressA, "disconnects/h all")).as("regression, recycled, %s", transport).isEqualTo("worse");
          assertThat(verdict(regressA, "old connections")).as("regression, recycled, %s", transport).isEqualTo("fresh");

          // Without the recycle the fix still shows: the old 3 s workers cut their connections, and
          // every canary reconnects after the marker.
          Run fixB = runs.get("fix-b b-" + mode);
          assertThat(verdict(fixB, "disconnects/h all")).as("fix, not recycled, %s", transport).isEqualTo("better");
          assertThat(verdict(fixB, "old connections")).as("fix, not recycled, %s", transport).isEqualTo("fresh");
        }
        // Without the recycle, the WebSocket canaries stay on the old 3600 s workers: stale, exit 2,
        // never "no significant change". Long-polls are new requests, so polling meets the change.
        for (String mode : List.of("ws", "up")) {
          Run run = runs.get("regress-b b-" + mode);
          assertThat(run.exitCode()).as("regression, not recycled, %s: %s", mode, run.out()).isEqualTo(2);
          assertThat(verdict(run, "old connections")).isEqualTo("stale");
          assertThat(verdicts(run).values()).as(mode).doesNotContain("no significant change", "better", "worse");
          assertThat(run.err()).contains("error: no verdict: most canaries of a stale fleet");
        }
        Run pollingB = runs.get("regress-b b-pl");
        assertThat(pollingB.exitCode()).isEqualTo(3);
        assertThat(verdict(pollingB, "disconnects/h all")).isEqualTo("worse");
      }
    }
  }

  private static AgentProcess agent(String name, int port, String url) {
    CanaryConfig config = CanaryConfig.onPort(port);
    MODES.forEach((mode, transport) -> config.target(name + "-" + mode, url,
        "clients = 5\nidle = 60s\ntransports = [" + transport + "]"));
    return AgentProcess.builder().name("rollout-" + name).httpPort(port)
        .config(config.hocon() + "canary.api.recycle-spread = 2s\n").env("CANARY_API_TOKEN", TOKEN).start();
  }

  private static Instant mark(int port, String label, boolean recycle) throws Exception {
    String body = new JsonObject().put("label", label).put("recycle", recycle).encode();
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/markers"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return Instant.parse(new JsonObject(response.body()).getString("at"));
  }

  private static Run compare(PrometheusServer prometheus, String marker, String target) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute("compare",
        "--prometheus", prometheus.url(), "--marker", marker, "--window", WINDOW.toSeconds() + "s",
        "--target", target, "--format", "json", "--fail-on-regression");
    return new Run(code, out.toString(), err.toString());
  }

  private static Map<String, String> verdicts(Run run) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonArray rows = new JsonObject(run.out()).getJsonArray("rows");
    for (int i = 0; i < rows.size(); i++) {
      JsonObject r = rows.getJsonObject(i);
      String reason = r.getString("reason");
      out.put(r.getString("figure") + (reason == null ? "" : " " + reason), r.getString("verdict"));
    }
    return out;
  }

  private static String verdict(Run run, String figure) {
    assertThat(run.out()).as("compare output; stderr: %s", run.err()).isNotEmpty();
    return verdicts(run).get(figure);
  }

  private static String summary(Run run) {
    if (run.out().isEmpty()) {
      return run.err().strip();
    }
    List<String> parts = new ArrayList<>();
    JsonArray rows = new JsonObject(run.out()).getJsonArray("rows");
    for (int i = 0; i < rows.size(); i++) {
      JsonObject r = rows.getJsonObject(i);
      String figure = r.getString("figure");
      if (figure.equals("disconnects/h") && "all".equals(r.getString("reason")) || figure.equals("old connections")
          || figure.equals("availability")) {
        parts.add(figure + "=" + r.getValue("before") + "->" + r.getValue("after") + " " + r.getString("verdict")
            + " (" + r.getString("note") + ")");
      }
    }
    return String.join("; ", parts);
  }
}
