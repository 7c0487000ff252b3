package io.socketiocanary.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.socketiocanary.Main;
import io.socketiocanary.compare.FleetHistoryFile.Phase;
import io.socketiocanary.compare.FleetHistoryFile.RecoveryPhase;
import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.ManagedProcess;
import io.socketiocanary.testsupport.PrometheusServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare} against a real Prometheus holding a known fleet history: four targets with two
 * agent instances each, a before hour and an after hour about six hours ago, backfilled with
 * promtool. "regress" gets 3× the disconnects, slow reconnects, short lifetimes and lost
 * canaries; "improve" the reverse; "steady" stays the same; "sparse" has a handful of events.
 */
class CompareIT {
  static final String MARKER = "nginx-timeout-3600";
  static final Phase HEALTHY = new Phase(30, 0.8, 350, 0, 0);
  static final Phase BROKEN = new Phase(90, 7, 55, 20, 2);

  @TempDir static Path dir;
  static PrometheusServer prometheus;
  static long beforeStart;

  /** One run's exit code and output. */
  record Run(int exitCode, String out, String err) {
    JsonObject json() {
      return new JsonObject(out);
    }

    /** Verdict per row label, e.g. "disconnects/h all" → "worse". */
    Map<String, String> verdicts() {
      Map<String, String> out = new LinkedHashMap<>();
      JsonArray rows = json().getJsonArray("rows");
      for (int i = 0; i < rows.size(); i++) {
        JsonObject r = rows.getJsonObject(i);
        String reason = r.getString("reason");
        out.put(r.getString("figure") + (reason == null ? "" : " " + reason), r.getString("verdict"));
      }
      return out;
    }
  }

  @BeforeAll
  static void prometheusWithAKnownHistory() {
    // Whole minutes, ~6 h ago: blocks ending more than 2 h before now load without head conflicts.
    beforeStart = Instant.now().minus(Duration.ofHours(6)).getEpochSecond() / 60 * 60;
    Path file = dir.resolve("fleet.om.txt");
    new FleetHistoryFile(beforeStart)
        .target("regress", HEALTHY, BROKEN)
        .target("improve", BROKEN, HEALTHY)
        .target("steady", HEALTHY, HEALTHY)
        .target("sparse", new Phase(2, 0.8, 350, 0, 0), new Phase(3, 0.8, 350, 0, 0))
        .target("recovering", HEALTHY, HEALTHY)
        .recovery("recovering", new RecoveryPhase(60, 0, 20, 0), new RecoveryPhase(12, 48, 20, 240))
        .marker(MARKER)
        .write(file);
    Path data = dir.resolve("data");
    PrometheusServer.importOpenMetrics(file, data);
    prometheus = PrometheusServer.start(data, dir);
  }

  @AfterAll
  static void stopPrometheus() {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void aRegressionIsReportedWorseAndFailsTheGateWithExitThree() {
    Run run = compare("--target", "regress", "--format", "json", "--fail-on-regression");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    assertThat(run.verdicts())
        .containsEntry("disconnects/h all", "worse")
        .containsEntry("disconnects/h transport_close", "worse")
        .containsEntry("connect errors/h timeout", "worse")
        .containsEntry("reconnect p50", "worse")
        .containsEntry("reconnect p95", "worse")
        .containsEntry("lifetime p50", "worse")
        .containsEntry("availability", "worse")
        .containsEntry("drill reconnect", "n/a")
        .containsEntry("probe failures/h", "too few samples");
    JsonObject disconnects = row(run, "disconnects/h", "all");
    // Two instances summed: 30/h before, 90/h after (increase() extrapolates by a hair).
    assertThat(disconnects.getDouble("before")).isBetween(29.0, 31.0);
    assertThat(disconnects.getDouble("after")).isBetween(89.0, 91.0);
    assertThat(run.json().getBoolean("worse")).isTrue();
    // The windows are half-open: the lost canaries from the rollout instant on count after only.
    assertThat(row(run, "availability", null).getDouble("before")).isEqualTo(100.0);
  }

  @Test
  void anImprovementIsReportedBetterAndPassesTheGate() {
    Run run = compare("--target", "improve", "--fail-on-regression");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("improve +websocket +disconnects/h all .* better ")
        .containsPattern("reconnect p95 .* better ")
        .containsPattern("availability .* better ")
        .doesNotContain(" worse ");
  }

  @Test
  void anUnchangedFleetIsNoSignificantChange() {
    Run run = compare("--target", "steady", "--format", "json", "--fail-on-regression");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.verdicts())
        .containsEntry("availability", "no significant change")
        .containsEntry("disconnects/h all", "no significant change")
        .containsEntry("reconnect p95", "no significant change")
        .containsEntry("lifetime p50", "no significant change")
        .doesNotContainValue("worse").doesNotContainValue("better");
  }

  @Test
  void lostSessionsAndMissedMessagesAreWorseAndShownOnlyForFleetsWithTheRecoverySeries() {
    Run run = compare("--target", "recovering", "--format", "json", "--fail-on-regression");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    assertThat(run.verdicts())
        .containsEntry("recovered ratio", "worse")
        .containsEntry("messages missed/h", "worse")
        .containsEntry("disconnects/h all", "no significant change");
    JsonObject ratio = row(run, "recovered ratio", null);
    // 60 of 60 judged reconnects recovered, then 12 of 60; the 20 no_offset per hour count in neither.
    assertThat(ratio.getString("unit")).isEqualTo("%");
    assertThat(ratio.getDouble("before")).isEqualTo(100.0);
    assertThat(ratio.getDouble("after")).isBetween(19.0, 21.0);
    assertThat(ratio.getString("note")).matches("n=(59|60|61) vs (59|60|61) reconnects");
    JsonObject missed = row(run, "messages missed/h", null);
    assertThat(missed.getDouble("before")).isZero();
    // increase() extrapolates to the window edges by a few parts in a thousand, as for disconnects above.
    assertThat(missed.getDouble("after")).isBetween(236.0, 244.0);

    Run table = compare("--target", "recovering");
    assertThat(table.out())
        .containsPattern("recovering +websocket +recovered ratio +100.00 % +(19|20)\\.\\d\\d % +-[78]\\d\\.\\d\\d pp +worse ")
        .containsPattern("recovering +websocket +messages missed/h +0.0 +2[34]\\d\\.\\d +new +worse ");
    Run markdown = compare("--target", "recovering", "--format", "markdown");
    assertThat(markdown.out()).contains("recovered ratio").contains("messages missed/h");

    Run steady = compare("--target", "steady", "--format", "json");
    assertThat(steady.verdicts()).doesNotContainKeys("recovered ratio", "messages missed/h");
  }

  @Test
  void aSparseWindowSaysTooFewSamplesInsteadOfAVerdict() {
    Run run = compare("--target", "sparse", "--format", "json", "--fail-on-regression");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.verdicts())
        .containsEntry("disconnects/h all", "too few samples")
        .containsEntry("reconnect p50", "too few samples")
        .containsEntry("lifetime p50", "too few samples");
  }

  @Test
  void theMarkerPutsTheWindowsEitherSideOfTheRollout() {
    Run run = compareWith("--marker", MARKER, "--window", "1h", "--target", "regress", "--format", "json",
        "--fail-on-regression");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    JsonObject json = run.json();
    assertThat(json.getJsonObject("before").getString("start")).isEqualTo(Instant.ofEpochSecond(beforeStart).toString());
    assertThat(json.getJsonObject("after").getString("start")).isEqualTo(Instant.ofEpochSecond(beforeStart + 3600).toString());
    assertThat(json.getJsonObject("after").getDouble("seconds")).isEqualTo(3600);
    assertThat(json.getJsonArray("notes").getString(0)).startsWith("marker \"" + MARKER + "\" at ");
    assertThat(run.verdicts()).containsEntry("disconnects/h all", "worse");
  }

  @Test
  void theJarGatesADeployWithExitThreeAndMarkdownForThePullRequest() {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", AgentProcess.jar().toString(), "compare"));
    command.addAll(windowArgs());
    command.addAll(List.of("--target", "regress", "--format", "markdown", "--fail-on-regression"));
    ManagedProcess jar = ManagedProcess.start("compare-jar", command, Map.of(), null);

    assertThat(jar.awaitExit(Duration.ofSeconds(30))).as(jar.describeTail()).hasValue(3);
    assertThat(String.join("\n", jar.lines()))
        .contains("| target | transport | figure | before | after | change | verdict | p | note |")
        .containsPattern("\\| regress \\| websocket \\| disconnects/h all \\| .* \\| \\*\\*worse\\*\\* \\|");
  }

  @Test
  void abComparesTwoTargetsOverTheSameWindowWithTheSameVerdictsAndExitCodes() {
    // The after hour: "regress" is broken, "improve" healthy, at the same time.
    Run worse = ab("--a", "target=improve", "--b", "target=regress", "--format", "json", "--fail-on-regression");

    assertThat(worse.exitCode()).as(worse.err()).isEqualTo(3);
    assertThat(worse.json().getString("mode")).isEqualTo("ab");
    assertThat(worse.json().getString("a")).isEqualTo("target=improve");
    assertThat(worse.json().getJsonObject("before")).isEqualTo(worse.json().getJsonObject("after"));
    assertThat(worse.verdicts())
        .containsEntry("disconnects/h all", "worse")
        .containsEntry("reconnect p95", "worse")
        .containsEntry("lifetime p50", "worse")
        .containsEntry("availability", "worse");
    JsonObject disconnects = row(worse, "disconnects/h", "all");
    assertThat(disconnects.getString("target")).isEqualTo("improve|regress");
    assertThat(disconnects.getDouble("before")).isBetween(29.0, 31.0);
    assertThat(disconnects.getDouble("after")).isBetween(89.0, 91.0);

    Run better = ab("--a", "target=regress", "--b", "target=improve", "--fail-on-regression");
    System.out.println("A/B table:\n" + better.out());
    assertThat(better.exitCode()).as(better.err()).isZero();
    assertThat(better.out()).startsWith("a  target=regress\nb  target=improve\nwindow ")
        .containsPattern("TARGET +TRANSPORT +FIGURE +A +B +CHANGE")
        .containsPattern("regress\\|improve +websocket +disconnects/h all .* better ")
        .doesNotContain(" worse ");

    Run same = ab("--a", "target=steady", "--b", "target=improve", "--format", "json", "--fail-on-regression");
    assertThat(same.exitCode()).as(same.err()).isZero();
    assertThat(same.verdicts()).containsEntry("disconnects/h all", "no significant change")
        .doesNotContainValue("worse").doesNotContainValue("better");
  }

  @Test
  void abByRolloutSelectsAgentsThroughTheirBuildInfo() {
    // Instance a (rollout=old) loses 2 canaries 10 % of the time in the broken hour, b does not;
    // both see the same disconnects.
    Run run = ab("--a", "rollout=old", "--b", "rollout=new", "--target", "regress", "--format", "json",
        "--fail-on-regression");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.verdicts())
        .containsEntry("availability", "better")
        .containsEntry("disconnects/h all", "no significant change");
    JsonObject availability = row(run, "availability", null);
    // One agent per side: 3 canaries for 60 minutes each, not both instances' 6.
    assertThat(availability.getString("note")).isEqualTo("180 vs 180 canary-minutes");
    assertThat(availability.getDouble("after")).isEqualTo(100.0);
    assertThat(row(run, "disconnects/h", "all").getDouble("before")).isBetween(44.0, 46.0);

    Run nobody = ab("--a", "rollout=old", "--b", "rollout=canary-17", "--target", "regress");
    assertThat(nobody.exitCode()).isEqualTo(2);
    assertThat(nobody.err()).startsWith("error: no socketio_canary_clients{target=\"regress\"} data on agents with "
        + "socketio_canary_build_info matching rollout=canary-17 in Prometheus at ");

    Run bad = ab("--a", "rollout", "--b", "rollout=new");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--a expects label matchers such as target=chat-new or rollout=new, got \"rollout\"");
    Run mixed = run("compare", "--prometheus", prometheus.url(), "--a", "rollout=old", "--b", "rollout=new",
        "--marker", MARKER);
    assertThat(mixed.exitCode()).isEqualTo(2);
    assertThat(mixed.err()).contains("use --during or --window, not --before/--after/--marker");
  }

  @Test
  void anUnreachablePrometheusIsOneClearLineAndExitTwo() {
    int nothingListens = FreePorts.pick();
    Run run = run("compare", "--prometheus", "http://127.0.0.1:" + nothingListens, "--before", "now-2h..now-1h",
        "--after", "now-1h..now");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip())
        .isEqualTo("error: cannot reach Prometheus at http://127.0.0.1:" + nothingListens + "/: connection refused");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aWindowWithoutDataAMissingMarkerANonPrometheusUrlAndABadQueryAreOneLineErrors() {
    Run empty = run("compare", "--prometheus", prometheus.url(), "--before", "now-30d..now-29d", "--after",
        "now-29d..now-28d");
    assertThat(empty.exitCode()).isEqualTo(2);
    assertThat(empty.err()).startsWith("error: no socketio_canary_clients data in Prometheus at " + prometheus.url()
        + "/ for the before window ");

    Run noMarker = compareWith("--marker", "never-rolled-out");
    assertThat(noMarker.exitCode()).isEqualTo(2);
    assertThat(noMarker.err())
        .contains("no rollout marker socketio_canary_marker_timestamp_seconds{marker=\"never-rolled-out\"}");

    Run notPrometheus = run("compare", "--prometheus", prometheus.url() + "/nothing-here", "--before", "now-2h..now-1h",
        "--after", "now-1h..now");
    assertThat(notPrometheus.exitCode()).isEqualTo(2);
    assertThat(notPrometheus.err()).startsWith("error: Prometheus at " + prometheus.url() + "/nothing-here/ answered HTTP 404")
        .hasLineCount(1);

    PrometheusException badQuery = assertThrows(PrometheusException.class,
        () -> new PrometheusClient(URI.create(prometheus.url()), Duration.ofSeconds(5)).query("sum(", Instant.now()));
    assertThat(badQuery.getMessage()).startsWith("Prometheus at " + prometheus.url() + "/ answered HTTP 400 (bad_data: ")
        .endsWith(") to query sum(").doesNotContain("\n");
  }

  private static JsonObject row(Run run, String figure, String reason) {
    JsonArray rows = run.json().getJsonArray("rows");
    for (int i = 0; i < rows.size(); i++) {
      JsonObject r = rows.getJsonObject(i);
      if (figure.equals(r.getString("figure")) && Objects.equals(reason, r.getString("reason"))) {
        return r;
      }
    }
    throw new AssertionError("no row " + figure + " " + reason + " in " + run.out());
  }

  private static List<String> windowArgs() {
    long marker = beforeStart + 3600;
    return List.of("--prometheus", prometheus.url(), "--before", beforeStart + ".." + marker,
        "--after", Instant.ofEpochSecond(marker) + ".." + Instant.ofEpochSecond(marker + 3600));
  }

  private static Run compare(String... extra) {
    List<String> args = new ArrayList<>(List.of("compare"));
    args.addAll(windowArgs());
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  /** A/B over the after hour. */
  private static Run ab(String... extra) {
    long marker = beforeStart + 3600;
    List<String> args = new ArrayList<>(List.of("compare", "--prometheus", prometheus.url(), "--during",
        marker + ".." + (marker + 3600)));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  private static Run compareWith(String... extra) {
    List<String> args = new ArrayList<>(List.of("compare", "--prometheus", prometheus.url()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  /** The command line in-process, as the jar's main runs it, with output captured. */
  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
