package io.socketiocanary.ship;

import static io.socketiocanary.ship.Helm.at;
import static io.socketiocanary.ship.Helm.list;
import static io.socketiocanary.ship.Helm.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.ship.Helm.Manifests;
import io.socketiocanary.ship.Helm.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Lints and renders the chart with the real helm, with default values and with everything on
 * (src/test/resources/helm/everything.yaml), and checks the rendered config with the real agent.
 */
class HelmChartIT {
  private static final String NAME = "canary-socketio-canary";
  private static Manifests defaults;
  private static Manifests everything;

  @BeforeAll
  static void render() throws Exception {
    Helm.requireInstalled();
    defaults = Helm.template();
    everything = Helm.template("-f", Helm.EVERYTHING.toString());
  }

  @Test
  void lintPassesWithDefaultValuesAndWithEverythingEnabled() throws Exception {
    assertSucceeds(Helm.run("lint", Helm.CHART.toString()));
    assertSucceeds(Helm.run("lint", Helm.CHART.toString(), "-f", Helm.EVERYTHING.toString()));
  }

  @Test
  void defaultValuesRenderADeploymentAServiceAndTheConfigOnly() {
    assertThat(defaults.names()).containsExactlyInAnyOrder(
        "ConfigMap/" + NAME, "Service/" + NAME, "Deployment/" + NAME);
  }

  @Test
  void thePodRunsAsUser10001OnAReadOnlyRootWithOnlyTmpWritable() {
    Map<String, Object> pod = podSpec(defaults.one("Deployment", NAME));
    assertThat(at(pod, "automountServiceAccountToken")).isEqualTo(false);
    assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true)
        .containsEntry("runAsUser", 10001).containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
    Map<String, Object> container = map(pod, "containers", 0);
    assertThat(map(container, "securityContext"))
        .containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 10001)
        .containsEntry("readOnlyRootFilesystem", true).containsEntry("allowPrivilegeEscalation", false)
        .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
    assertThat(list(container, "volumeMounts"))
        .filteredOn(m -> !Boolean.TRUE.equals(m.get("readOnly")))
        .extracting(m -> m.get("mountPath")).containsExactly("/tmp");
    assertThat(list(pod, "volumes"))
        .filteredOn(v -> "tmp".equals(v.get("name"))).singleElement()
        .satisfies(v -> assertThat(v).containsKey("emptyDir"));
  }

  @Test
  void livenessChecksHealthAndReadinessChecksReady() {
    Map<String, Object> container = map(podSpec(defaults.one("Deployment", NAME)), "containers", 0);
    assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/health");
    assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/ready");
    assertThat(at(container, "livenessProbe", "httpGet", "port")).isEqualTo("http");
    assertThat(at(container, "ports", 0, "containerPort")).isEqualTo(9470);
  }

  @Test
  void changingATargetChangesTheConfigChecksumSoThePodsRoll() throws Exception {
    String before = checksum(defaults.one("Deployment", NAME));
    String same = checksum(Helm.template().one("Deployment", NAME));
    String after = checksum(Helm.template("--set", "targets[0].name=example,targets[0].url=https://other.example.com")
        .one("Deployment", NAME));
    assertThat(before).matches("[0-9a-f]{64}").isEqualTo(same).isNotEqualTo(after);
  }

  @Test
  void theTokenComesFromTheNamedSecretAndNeverSitsInTheConfigMap() {
    Map<String, Object> container = map(podSpec(everything.one("StatefulSet", NAME)), "containers", 0);
    assertThat(env(container, "CANARY_TOKEN_1"))
        .containsEntry("valueFrom", Map.of("secretKeyRef", Map.of("name", "chat-canary", "key", "token")));
    assertThat(env(container, "CANARY_TOKEN_0")).as("presence has no tokenSecret").isNull();
    String conf = everything.canaryConf();
    assertThat(conf).contains("auth { token = ${?CANARY_TOKEN_1} }")
        .doesNotContain("chat-canary").doesNotContainPattern("token\\s*=\\s*\"");
  }

  @Test
  void anInlineTokenInTheValuesIsRejected() throws Exception {
    Result result = Helm.render("--set", "targets[0].auth.token=s3cret");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("additional properties 'token' not allowed").doesNotContain("s3cret");
  }

  @Test
  void aMisspeltValueFailsWithAMessageNamingIt() throws Exception {
    Result result = Helm.render("--set", "serviceMonitr.enabled=true");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("serviceMonitr");
    Result nested = Helm.render("--set", "targets[0].clinets=3");
    assertThat(nested.exitCode()).isNotZero();
    assertThat(nested.output()).contains("/targets/0").contains("clinets");
  }

  @Test
  void eachReplicaGetsItsVantageFromTheNodeUnlessOneIsSet() {
    Map<String, Object> byNode = map(podSpec(defaults.one("Deployment", NAME)), "containers", 0);
    assertThat(env(byNode, "CANARY_VANTAGE"))
        .containsEntry("valueFrom", Map.of("fieldRef", Map.of("fieldPath", "spec.nodeName")));
    Map<String, Object> named = map(podSpec(everything.one("StatefulSet", NAME)), "containers", 0);
    assertThat(env(named, "CANARY_VANTAGE")).containsEntry("value", "eu-west-1a");
    assertThat(everything.canaryConf()).as("the agent reads CANARY_VANTAGE through reference.conf").doesNotContain("vantage");
  }

  @Test
  void shardingRunsAStatefulSetWhosePodsKnowTheirOrdinalAndTheShardCount() {
    assertThat(everything.ofKind("Deployment")).isEmpty();
    Map<String, Object> statefulSet = everything.one("StatefulSet", NAME);
    assertThat(at(statefulSet, "spec", "replicas")).isEqualTo(3);
    Map<String, Object> container = map(podSpec(statefulSet), "containers", 0);
    assertThat(env(container, "CANARY_SHARD_COUNT")).containsEntry("value", "3");
    assertThat(env(container, "CANARY_SHARD_ORDINAL")).containsEntry("valueFrom",
        Map.of("fieldRef", Map.of("fieldPath", "metadata.labels['apps.kubernetes.io/pod-index']")));
    assertThat(env(container, "POD_NAME"))
        .containsEntry("valueFrom", Map.of("fieldRef", Map.of("fieldPath", "metadata.name")));
  }

  @Test
  void theRenderedConfigPassesCheckConfig(@TempDir Path dir) throws Exception {
    assertPassesCheckConfig(defaults.canaryConf(), dir.resolve("defaults.conf"));
    assertPassesCheckConfig(everything.canaryConf(), dir.resolve("everything.conf"));
  }

  @Test
  void theServiceMonitorScrapesMetricsUnderTheJobTheRulesExpect() throws Exception {
    Map<String, Object> endpoint = map(everything.one("ServiceMonitor", NAME), "spec", "endpoints", 0);
    assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/metrics");
    assertThat(list(endpoint, "relabelings"))
        .contains(Map.of("targetLabel", "job", "replacement", "socketio-canary"));
    assertThat(Files.readString(Path.of("grafana/alerts/socketio-canary-rules.yml")))
        .contains("up{job=\"socketio-canary\"}");
  }

  @Test
  void thePrometheusRuleCarriesExactlyTheRulesOfTheRulesFile() throws Exception {
    Map<String, Object> rulesFile = new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(Files.readString(Path.of("grafana/alerts/socketio-canary-rules.yml")));
    Map<String, Object> rule = everything.one("PrometheusRule", NAME);
    List<Map<String, Object>> groups = list(rule, "spec", "groups");
    assertThat(groups.subList(0, groups.size() - 1)).isEqualTo(rulesFile.get("groups"));
    // The one addition: how many agents this release runs, for SocketIOCanaryAgentsMissing.
    assertThat(groups.get(groups.size() - 1)).isEqualTo(Map.of(
        "name", "socketio-canary-expected-agents",
        "rules", List.of(Map.of("record", "socketio_canary:agents_expected", "expr", "vector(3)",
            "labels", Map.of("namespace", "monitoring", "service", NAME)))));
  }

  @Test
  void theDashboardsConfigMapHoldsBothDashboardsForTheGrafanaSidecar() throws Exception {
    Map<String, Object> configMap = everything.one("ConfigMap", NAME + "-dashboards");
    assertThat(map(configMap, "metadata", "labels")).containsEntry("grafana_dashboard", "1");
    Map<String, Object> data = map(configMap, "data");
    for (String name : List.of("socketio-canary-overview.json", "socketio-canary-rollout.json")) {
      assertThat(data.get(name)).as(name)
          .isEqualTo(Files.readString(Path.of("grafana", "dashboards", name)));
    }
    assertThat(data).hasSize(2);
  }

  private static void assertPassesCheckConfig(String conf, Path file) throws Exception {
    Files.writeString(file, conf);
    String jar = System.getProperty("canary.jar", "target/socketio-canary.jar");
    ProcessBuilder builder = new ProcessBuilder("java", "-jar", jar, "check-config", file.toString())
        .redirectErrorStream(true);
    // As in a pod whose Secret is empty: ${?CANARY_TOKEN_n} must then simply leave the token unset.
    builder.environment().keySet().removeIf(name -> name.startsWith("CANARY_TOKEN_"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("check-config on%n%s%n%s", conf, output).isZero();
    assertThat(output).startsWith("OK:");
  }

  private static Map<String, Object> podSpec(Map<String, Object> workload) {
    return map(workload, "spec", "template", "spec");
  }

  private static String checksum(Map<String, Object> workload) {
    return (String) at(workload, "spec", "template", "metadata", "annotations", "checksum/config");
  }

  private static Map<String, Object> env(Map<String, Object> container, String name) {
    List<Map<String, Object>> env = list(container, "env");
    return env.stream().filter(e -> name.equals(e.get("name"))).findFirst().orElse(null);
  }

  private static void assertSucceeds(Result result) {
    assertThat(result.exitCode()).as(result.output()).isZero();
  }
}
