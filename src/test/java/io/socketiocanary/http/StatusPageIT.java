package io.socketiocanary.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.ManagedProcess;
import io.socketiocanary.testsupport.Tools;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The status page in a real headless Chromium (Debian's {@code /usr/bin/chromium}, driven by
 * {@code testservers/status-page-check.js}) against the real demo: the proxy cuts idle
 * connections after 4 s, so within seconds the page must show all fleets connected, a disconnect
 * with its reason, the reconnect with its percentiles, then every fleet as flapping rather than up
 * (connections keep dying although a glance finds them connected), on a phone-sized screen.
 */
class StatusPageIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static final List<String> TRANSPORTS = List.of("websocket", "polling", "polling_upgrade");
  /** Strings a remote server controls; the page must show them as text, never as markup. */
  private static final String PAYLOAD = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";
  private static final Pattern PEAK = Pattern.compile("^(\\d+)× ≈ (\\d+\\.\\d+) s$");
  private static final Pattern ENDED = Pattern.compile("^(\\d+) connections? ended");
  private static final Pattern DURATION = Pattern.compile("^p(50|95|99) \\d+(\\.\\d+)? (ms|s)$");

  @Test
  void aPhoneSeesTheFleetConnectedThenTheProxyCutWithItsReasonThenTheReconnect() throws Exception {
    Path chromium = Tools.require("chromium");
    Path node = Tools.require("node");
    Path testServers = Tools.testServersDir("playwright-core");
    // The README's screenshot is refreshed on request only (-Dcanary.updateScreenshot=true), so a
    // test run does not leave a modified tracked file behind; every run saves one under it-logs.
    Path docsScreenshot = Boolean.getBoolean("canary.updateScreenshot")
        ? testServers.getParent().resolve("docs/status-page.png")
        : ManagedProcess.logDir().resolve("status-page-light.png");
    Path logs = ManagedProcess.logDir();
    int port = FreePorts.pick();
    long started = System.nanoTime();

    try (ManagedProcess demo = ManagedProcess.start("status-page-demo", List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", AgentProcess.jar().toString(),
        "demo", "--proxy-idle-timeout", "4s", "--ping-interval", "20s", "--port", Integer.toString(port)),
        Map.of(), null)) {
      awaitReady(port, demo);
      long ready = System.nanoTime();

      ManagedProcess check = ManagedProcess.start("status-page-check", List.of(node.toString(),
          "status-page-check.js", "--url", "http://127.0.0.1:" + port + "/", "--chromium", chromium.toString(),
          "--steps", "connected,disconnect,reconnect,flapping,overflow,stale,connected,screenshot,escape",
          "--timeout-ms", "15000", "--escape-payload", PAYLOAD,
          "--screenshot", docsScreenshot.toString(), "--screenshot", logs.resolve("status-page.png").toString(),
          "--dark-screenshot", logs.resolve("status-page-dark.png").toString(),
          "--failure-screenshot", logs.resolve("status-page-failed.png").toString()), Map.of(), testServers);
      int exit = check.awaitExit(Duration.ofSeconds(60)).orElseGet(() -> check.stop(Duration.ofSeconds(2)));
      Map<String, JsonObject> steps = steps(check);
      System.out.printf("status page: demo ready after %d ms, browser checks took %d ms%n",
          millis(started, ready), millis(ready, System.nanoTime()));
      assertThat(exit).as("status-page-check exit code; observations: %s%s", steps.values(), check.describeTail())
          .isZero();

      JsonObject open = steps.get("open");
      assertThat(open.getInteger("status")).isEqualTo(200);
      assertThat(open.getString("cache_control")).isEqualTo("no-cache");

      // The last "connected" step: after the stale banner, every canary connected at that instant,
      // yet the connections keep dying every 4 s, so the page must not call the fleets up.
      JsonObject connected = observed(steps, "connected");
      assertThat(transports(connected)).containsExactlyElementsOf(TRANSPORTS);
      for (JsonObject fleet : fleets(connected)) {
        assertThat(fleet.getString("count")).as(fleet.getString("transport")).isEqualTo("2/2");
        assertThat(fleet.getString("badge")).as(fleet.getString("transport")).contains("FLAPPING");
      }
      assertThat(connected.getString("overall")).contains("6/6 canaries connected");
      assertThat(connected.getString("overall_headline")).isEqualTo("3 of 3 fleets flapping");

      JsonObject flapping = observed(steps, "flapping");
      assertThat(flapping.getString("overall_headline")).isEqualTo("3 of 3 fleets flapping");
      assertThat(flapping.getString("flap_rule"))
          .isEqualTo("flapping = 3 or more lost connections per canary in the last 5 min");
      assertThat(fleets(flapping)).extracting(f -> f.getString("badge")).allMatch(b -> b.contains("FLAPPING"));
      // The page names a proxy only on the agent's evidence (starts that differed, one age), never
      // on clustered lifetimes alone, which periodic restarts produce too.
      for (JsonObject step : List.of(observed(steps, "reconnect"), flapping)) {
        assertThat(fleets(step)).extracting(f -> String.valueOf(f.getString("hint")))
            .allMatch(hint -> !hint.contains("proxy") || hint.contains("started at different moments"));
      }
      assertThat(connected.getValue("unformatted")).as("raw null/undefined/NaN on the page").isNull();

      JsonObject disconnect = observed(steps, "disconnect");
      assertThat(fleets(disconnect).stream().map(f -> f.getString("last_disconnect")).filter(s -> s != null))
          .isNotEmpty()
          .allMatch(s -> s.matches("Last disconnect: transport_(error|close) \\d+ s ago \\(canary #\\d+\\)"));

      JsonObject reconnect = observed(steps, "reconnect");
      assertThat(reconnect.getValue("unformatted")).as("raw null/undefined/NaN on the page").isNull();
      for (JsonObject fleet : fleets(reconnect)) {
        String transport = fleet.getString("transport");
        assertThat(fleet.getString("count")).as(transport).isEqualTo("2/2");
        assertThat(fleet.getJsonArray("reconnect_percentiles").stream().toList()).as(transport)
            .hasSize(3).allMatch(p -> DURATION.matcher((String) p).matches());
        assertThat(fleet.getString("last_disconnect")).as(transport).containsPattern("transport_(error|close)");
        // One spike at the proxy's 4 s idle timeout holding (nearly) every lifetime, in seconds.
        Matcher peak = PEAK.matcher(fleet.getString("lifetime_peak"));
        Matcher ended = ENDED.matcher(fleet.getString("lifetime_caption"));
        assertThat(peak.matches() && ended.find()).as("%s: %s", transport, fleet).isTrue();
        assertThat(Double.parseDouble(peak.group(2))).as(transport).isBetween(3.9, 4.3);
        assertThat(Integer.parseInt(peak.group(1))).as("%s lifetimes in the peak bar", transport)
            .isGreaterThanOrEqualTo((int) Math.ceil(0.8 * Integer.parseInt(ended.group(1))));
      }

      JsonObject overflow = observed(steps, "overflow");
      assertThat(overflow.getInteger("scroll_width")).as("page width at 390 px: %s", overflow)
          .isLessThanOrEqualTo(overflow.getInteger("client_width"));

      JsonObject stale = observed(steps, "stale");
      assertThat(stale.getJsonObject("while_failing").getString("banner")).startsWith("STALE: cannot reach the agent");
      assertThat(stale.getJsonObject("after_recovery").getString("banner")).isNull();

      JsonObject escape = observed(steps, "escape");
      assertThat(escape.getInteger("img_elements")).as("injected <img> elements").isZero();
      assertThat(escape.getInteger("script_elements")).as("only the page's own script").isEqualTo(1);
      assertThat(escape.getString("xss_flag")).isNull();
      assertThat(escape.getJsonArray("dialogs")).isEmpty();
      assertThat(escape.getString("detail_text")).isEqualTo("server said: " + PAYLOAD);
      assertThat(escape.getString("target_heading")).isEqualTo("demo " + PAYLOAD);
      assertThat(escape.getInteger("scroll_width")).as("page width with a 300-character error token")
          .isLessThanOrEqualTo(escape.getInteger("client_width"));

      assertThat(steps.get("errors").getJsonArray("page_errors")).as("uncaught errors in the page").isEmpty();
      assertThat(docsScreenshot).isRegularFile();
    }
  }

  private static void awaitReady(int port, ManagedProcess demo) throws InterruptedException {
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!demo.isAlive()) {
        throw new AssertionError("demo exited" + demo.describeTail());
      }
      try {
        if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new AssertionError("demo not ready within 20 s" + demo.describeTail());
  }

  /** The script's JSON lines by step name; a step that ran twice keeps its last observation. */
  private static Map<String, JsonObject> steps(ManagedProcess check) {
    Map<String, JsonObject> steps = new LinkedHashMap<>();
    for (String line : check.lines()) {
      if (line.startsWith("{\"step\"")) {
        JsonObject json = new JsonObject(line);
        steps.put(json.getString("step"), json);
      }
    }
    return steps;
  }

  private static JsonObject observed(Map<String, JsonObject> steps, String step) {
    assertThat(steps).as("steps reported").containsKey(step);
    assertThat(steps.get(step).getBoolean("ok")).as("%s: %s", step, steps.get(step)).isTrue();
    return steps.get(step).getJsonObject("observed");
  }

  private static List<JsonObject> fleets(JsonObject observed) {
    JsonArray fleets = observed.getJsonArray("fleets");
    return fleets.stream().map(JsonObject.class::cast).toList();
  }

  private static List<String> transports(JsonObject observed) {
    return fleets(observed).stream().map(f -> f.getString("transport")).toList();
  }

  private static long millis(long fromNanos, long toNanos) {
    return Duration.ofNanos(toNanos - fromNanos).toMillis();
  }
}
