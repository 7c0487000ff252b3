package io.socketiocanary.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * grafana/ holds the one source of the alert rules and dashboards; the Helm chart can only read
 * files inside its own directory, so it keeps copies. This test keeps them identical.
 */
class ChartCopiesTest {
  private static final Path GRAFANA = Path.of("grafana");
  private static final Path CHART_FILES = Path.of("helm", "socketio-canary", "files");
  private static final String HOW_TO_FIX =
      "the chart's copy differs from grafana/; after editing grafana/, run "
          + "`cp grafana/alerts/socketio-canary-rules.yml helm/socketio-canary/files/ && "
          + "cp grafana/dashboards/*.json helm/socketio-canary/files/dashboards/`";

  @Test
  void theChartCarriesTheAlertRulesByteForByte() throws IOException {
    assertSameBytes(GRAFANA.resolve("alerts/socketio-canary-rules.yml"),
        CHART_FILES.resolve("socketio-canary-rules.yml"));
  }

  @Test
  void theChartCarriesEveryDashboardByteForByteAndNoOther() throws IOException {
    assertThat(names(CHART_FILES.resolve("dashboards")))
        .as("dashboards in the chart").isEqualTo(names(GRAFANA.resolve("dashboards")));
    for (String name : names(GRAFANA.resolve("dashboards"))) {
      assertSameBytes(GRAFANA.resolve("dashboards").resolve(name),
          CHART_FILES.resolve("dashboards").resolve(name));
    }
  }

  private static void assertSameBytes(Path original, Path copy) throws IOException {
    assertThat(Files.readAllBytes(copy)).as("%s: %s", copy, HOW_TO_FIX)
        .isEqualTo(Files.readAllBytes(original));
  }

  private static java.util.List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
    }
  }
}
