package io.socketiocanary.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.config.MetricDetail;
import io.socketiocanary.failure.ConnectErrorReason;
import io.socketiocanary.failure.DisconnectReason;
import io.socketiocanary.rollout.Markers;
import io.socketiocanary.selfwatch.LoopNames;
import io.socketiocanary.selfwatch.SelfWatch;
import io.socketiocanary.selfwatch.WatchedLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Metric names are a public contract: every name the dashboards, the alert rules, the Helm chart's
 * copies of them, the README and the docs use must be one the agent really exposes, so they cannot
 * drift.
 */
class MetricsContractTest {
  /** A metric name, not part of a recording rule name such as {@code fleet:socketio_canary_x:rate5m}. */
  private static final Pattern NAME = Pattern.compile("(?<![:\\w])socketio_canary_[a-z0-9_]+(?![:\\w])");

  @ParameterizedTest
  @EnumSource(MetricDetail.class)
  void everyMetricNameUsedByDashboardsRulesChartAndReadmeIsExposedByTheAgent(MetricDetail detail) throws IOException {
    Set<String> exposed = exposedNames(detail);
    Set<String> used = new TreeSet<>();
    for (Path file : documents()) {
      Matcher m = NAME.matcher(Files.readString(file));
      while (m.find()) {
        used.add(m.group());
      }
    }
    assertThat(used).as("names used in %s", documents()).isNotEmpty();
    assertThat(exposed).as("exposed by the agent").containsAll(used);
  }

  @Test
  void theReadmeMetricsTableListsEveryCanaryMetricTheAgentExposes() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    Set<String> families = exposedNames(MetricDetail.FULL).stream()
        .map(n -> n.replaceAll("_(bucket|count|sum|max)$", ""))
        .filter(n -> n.startsWith("socketio_canary_"))
        .collect(Collectors.toCollection(TreeSet::new));
    for (String family : families) {
      assertThat(readme).as("README mentions %s", family).contains("`" + family + "`");
    }
  }

  /**
   * What the agent binds at start-up and holds no reference to (JVM and process binders) must still
   * read after a collection: a gauge holds its object weakly unless told otherwise, and a collected
   * one reads NaN on every scrape from then on.
   */
  @Test
  void theAgentsOwnGaugesStillReadAfterACollection() {
    AgentMetrics metrics = new AgentMetrics("test", "", "", false);
    System.gc();
    assertThat(metrics.scrape().lines().filter(line -> line.endsWith(" NaN")))
        .as("gauges reading NaN after a collection").isEmpty();
    metrics.close();
  }

  /**
   * Every meter the agent can register, each driven once so that lazily created ones exist too
   * (in compact mode a reason series appears once that reason has happened).
   */
  static Set<String> exposedNames(MetricDetail detail) {
    AgentMetrics metrics = new AgentMetrics("test", "rollout", "", false, detail);
    FleetMetrics fleet = new FleetMetrics(metrics.registry(), "t", "polling_upgrade", 1, true, true,
        TestConnections.ONE_ON_WEBSOCKET);
    fleet.serverTimings(Duration.ofSeconds(25), Duration.ofSeconds(20));
    fleet.suspectedIdleTimeout(OptionalDouble.of(60));
    fleet.disconnected(DisconnectReason.TRANSPORT_CLOSE, Duration.ofSeconds(60));
    fleet.connectError(ConnectErrorReason.TIMEOUT);
    fleet.staleConnections(() -> 0);
    new RecoveryMetrics(metrics.registry(), "t", "websocket", true, true).supported(true);
    new Markers(metrics.registry(), Clock.systemUTC()).record("m", "");
    new ReloadMetrics(metrics.registry());
    new SelfWatch(LoopNames.ALL.stream().filter(loop -> !loop.equals(LoopNames.JVM))
        .map(loop -> WatchedLoop.singleThread(loop, Runnable::run)).toList(), metrics.registry());
    Set<String> names = Arrays.stream(metrics.scrape().split("\n"))
        .filter(line -> !line.startsWith("#") && !line.isBlank())
        .map(line -> line.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
    metrics.close();
    // A histogram is also known by its family name (README, panel descriptions).
    names.stream().filter(n -> n.endsWith("_bucket")).toList()
        .forEach(n -> names.add(n.substring(0, n.length() - "_bucket".length())));
    return names;
  }

  /**
   * A rollout recycle is counted apart: its own counter, and no disconnect, lifetime, reconnect or
   * connect (compare and the alerts read those as organic).
   */
  @Test
  void recyclesAreCountedApartFromOrganicDisconnects() {
    AgentMetrics metrics = new AgentMetrics("test", "", "", false);
    FleetMetrics fleet = new FleetMetrics(metrics.registry(), "t", "websocket", 1, false, false,
        TestConnections.ONE_ON_WEBSOCKET);
    fleet.connected(Duration.ofMillis(5));
    fleet.recycled();
    String scrape = metrics.scrape();
    assertThat(scrape).contains("socketio_canary_recycles_total{target=\"t\",transport=\"websocket\"} 1.0")
        .contains("socketio_canary_connects_total{target=\"t\",transport=\"websocket\"} 1.0")
        .contains("socketio_canary_connected{target=\"t\",transport=\"websocket\"} 1.0")
        .contains("socketio_canary_connection_lifetime_seconds_count{target=\"t\",transport=\"websocket\"} 0")
        .doesNotContainPattern("socketio_canary_disconnects_total\\{[^}]*\\} [1-9]");
    assertThat(Arrays.stream(DisconnectReason.values()).map(DisconnectReason::label)).doesNotContain("recycle");
    metrics.close();
  }

  /**
   * Recovery results are a bounded set registered at zero; a target with recovery off and no
   * subscription exports none of these meters, so nothing moves for it.
   */
  @Test
  void recoveryAndContinuityMetersAreBoundedAndAbsentWhenOff() {
    AgentMetrics metrics = new AgentMetrics("test", "", "", false);
    RecoveryMetrics on = new RecoveryMetrics(metrics.registry(), "t", "websocket", true, true);
    // Held until after the scrape, as a fleet holds its own: the gauge keeps only a weak reference,
    // so an instance dropped here reads NaN once a collection has run (seen running this class alone).
    RecoveryMetrics off = new RecoveryMetrics(metrics.registry(), "off", "websocket", false, false);
    off.supported(false);
    on.recovery("recovered");
    on.recovery("not-a-result");
    on.messages(3, true, 1.5);
    String scrape = metrics.scrape();
    assertThat(scrape)
        .contains("socketio_canary_recoveries_total{result=\"recovered\",target=\"t\",transport=\"websocket\"} 1.0")
        .contains("socketio_canary_recoveries_total{result=\"new_session\",target=\"t\",transport=\"websocket\"} 0.0")
        .contains("socketio_canary_messages_missed_total{target=\"t\",transport=\"websocket\"} 3.0")
        .contains("socketio_canary_messages_replayed_total{target=\"t\",transport=\"websocket\"} 1.0")
        .contains("socketio_canary_message_silence_seconds_bucket{target=\"t\",transport=\"websocket\",le=\"2.0\"} 1")
        .contains("socketio_canary_recovery_supported{target=\"off\",transport=\"websocket\"} 0.0")
        .doesNotContain("not-a-result")
        .doesNotContainPattern("socketio_canary_(recoveries_total|messages_[a-z]+_total)\\{[^}]*target=\"off\"");
    assertThat(RecoveryMetrics.RESULTS).containsExactly("recovered", "new_session", "no_offset");
    off.close();
    on.close();
    metrics.close();
  }

  private static Set<Path> documents() throws IOException {
    Set<Path> files = new TreeSet<>();
    files.add(Path.of("README.md"));
    for (String dir : new String[] {"grafana", "helm", "docs"}) {
      try (Stream<Path> walk = Files.walk(Path.of(dir))) {
        walk.filter(p -> p.toString().matches(".*\\.(json|ya?ml|md|tpl|txt)$")).forEach(files::add);
      }
    }
    return files;
  }
}
