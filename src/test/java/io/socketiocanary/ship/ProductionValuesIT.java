package io.socketiocanary.ship;

import static io.socketiocanary.ship.Helm.at;
import static io.socketiocanary.ship.Helm.list;
import static io.socketiocanary.ship.Helm.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.ship.Helm.Manifests;
import io.socketiocanary.ship.Helm.Result;
import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.ManagedProcess;
import io.socketiocanary.testsupport.Tools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The chart README's production values file, as a user would take it: {@code helm lint --strict},
 * {@code helm template}, then the rendered pod played out on this machine. The Secrets and the
 * ConfigMap the README tells the user to create are made here (a CA minted by openssl), the pod's
 * volumes are materialised under a temp directory at their mount paths, its env is resolved from
 * those Secrets and the downward API, and the real agent checks the rendered config with the files
 * present, then runs it and records a rollout marker with the Secret's token.
 */
class ProductionValuesIT {
  private static final Path README = Helm.CHART.resolve("README.md");
  private static final Pattern BLOCK =
      Pattern.compile("<a id=\"production-values\"></a>\\n```yaml\\n(.*?)```", Pattern.DOTALL);
  private static final String NAME = "canary-socketio-canary";
  private static final String API_TOKEN = "prod-api-token-7f3e9a";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir static Path dir;
  private static Path values;
  /** What the README's kubectl commands create: Secret and ConfigMap name -> key -> content. */
  private static Map<String, Map<String, String>> secrets;
  private static Map<String, Map<String, String>> configMaps;

  @BeforeAll
  static void cluster() throws Exception {
    Helm.requireInstalled();
    Matcher block = BLOCK.matcher(Files.readString(README));
    assertThat(block.find()).as("the production values block in %s", README).isTrue();
    values = Files.writeString(dir.resolve("production.yaml"), block.group(1));
    secrets = Map.of(
        "canary-api", Map.of("token", API_TOKEN),
        "chat-canary", Map.of("token", "chat-secret-token-1", "api-key", "chat-api-key-2"),
        "presence-canary", Map.of("token", "presence-secret-token-3"));
    configMaps = Map.of("internal-ca", Map.of("ca.crt", mintCa()));
  }

  @Test
  void lintStrictPassesAndTheConfigMapHoldsNoSecret() throws Exception {
    Result lint = Helm.run("lint", "--strict", Helm.CHART.toString(), "-f", values.toString());
    assertThat(lint.exitCode()).as(lint.output()).isZero();
    Manifests manifests = Helm.template("-f", values.toString());
    assertThat(manifests.names()).contains("Deployment/" + NAME, "ConfigMap/" + NAME, "ServiceMonitor/" + NAME,
        "PrometheusRule/" + NAME, "ConfigMap/" + NAME + "-dashboards");
    String conf = manifests.canaryConf();
    for (Map<String, String> secret : secrets.values()) {
      secret.values().forEach(v -> assertThat(conf).doesNotContain(v));
    }
    assertThat(conf).contains("auth { token = ${?CANARY_TOKEN_0} }").contains("\"X-Api-Key\" = ${?CANARY_HEADER_0_0}");
  }

  @Test
  void theRenderedConfigPassesCheckConfigWithTheMountedFilesPresent() throws Exception {
    Manifests manifests = Helm.template("-f", values.toString());
    Path root = Files.createDirectories(dir.resolve("pod-check"));
    Map<String, Object> pod = podSpec(manifests);
    String conf = materialise(pod, root, manifests.canaryConf());
    assertThat(conf).contains(root.resolve("etc/socketio-canary/ca/ca.crt").toString())
        .contains(root.resolve("etc/socketio-canary/presence/token").toString());
    Path file = Files.writeString(root.resolve("canary.conf"), conf);
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        AgentProcess.jar().toString(), "check-config", file.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env(pod));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("check-config on%n%s%n%s", conf, output).isZero();
    assertThat(output).startsWith("OK:");
    for (Map<String, String> secret : secrets.values()) {
      secret.values().forEach(v -> assertThat(output).doesNotContain(v));
    }

    // And the files really are checked: without the mounted CA the same config is refused.
    Files.delete(root.resolve("etc/socketio-canary/ca/ca.crt"));
    Process missing = new ProcessBuilder(command).redirectErrorStream(true).start();
    String refused = new String(missing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(missing.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(missing.exitValue()).as(refused).isEqualTo(2);
    assertThat(refused).contains("tls.ca-file: file does not exist");
  }

  @Test
  void theAgentRunWithTheRenderedConfigAcceptsAMarkerWithTheSecretsToken() throws Exception {
    // The same values, with the targets pointed at a closed loopback port (no traffic leaves the
    // machine) and the agent's port picked by the test.
    int port = FreePorts.pick();
    int closed = FreePorts.pick();
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()), new org.yaml.snakeyaml.representer.Representer(
        new DumperOptions()), new DumperOptions());
    Map<String, Object> local = yaml.load(Files.readString(values));
    local.put("http", Map.of("port", port));
    for (Map<String, Object> target : list(local, "targets")) {
      target.put("url", "https://127.0.0.1:" + closed);
    }
    Path localValues = Files.writeString(dir.resolve("production-local.yaml"), yaml.dump(local));
    Manifests manifests = Helm.template("-f", localValues.toString());
    Map<String, Object> pod = podSpec(manifests);
    Path root = Files.createDirectories(dir.resolve("pod-run"));
    String conf = materialise(pod, root, manifests.canaryConf());

    AgentProcess.Builder builder = AgentProcess.builder().name("prod-values").httpPort(port).config(conf);
    env(pod).forEach(builder::env);
    try (AgentProcess agent = builder.start()) {
      agent.awaitReady(Duration.ofSeconds(30));
      String marker = "{\"label\":\"proxy-change\",\"description\":\"from the chart\"}";
      assertThat(post(agent, marker, null)).isEqualTo(401);
      assertThat(post(agent, marker, "wrong-token")).isEqualTo(401);
      assertThat(post(agent, marker, API_TOKEN)).isEqualTo(201);
      assertThat(agent.get("/api/markers").body()).contains("proxy-change");
      String metrics = agent.get("/metrics").body();
      assertThat(metrics).contains("socketio_canary_marker_timestamp_seconds{marker=\"proxy-change\"")
          .containsPattern("socketio_canary_build_info\\{[^}]*rollout=\"old-proxy\"")
          .contains("vantage=\"node-a\"");
      for (Map<String, String> secret : secrets.values()) {
        secret.values().forEach(v -> assertThat(metrics).doesNotContain(v));
      }
      assertThat(String.join("\n", agent.process().lines())).doesNotContain(API_TOKEN)
          .doesNotContain("chat-secret-token-1").doesNotContain("chat-api-key-2");
    }
  }

  private static int post(AgentProcess agent, String body, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(agent.url() + "/api/markers"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
        .timeout(Duration.ofSeconds(5));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static Map<String, Object> podSpec(Manifests manifests) {
    return map(manifests.one("Deployment", NAME), "spec", "template", "spec");
  }

  /**
   * Writes every Secret/ConfigMap volume of the pod under root at its mount path, as the kubelet
   * would, and returns the config with those mount paths moved under root.
   */
  @SuppressWarnings("unchecked")
  private static String materialise(Map<String, Object> pod, Path root, String conf) throws Exception {
    Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
    list(pod, "volumes").forEach(v -> volumes.put((String) v.get("name"), v));
    String result = conf;
    for (Map<String, Object> mount : list(pod, "containers", 0, "volumeMounts")) {
      if (List.of("config", "tmp").contains(mount.get("name"))) {
        continue; // the chart's own: the rendered config (written by the test) and /tmp
      }
      Map<String, Object> volume = volumes.get((String) mount.get("name"));
      Map<String, String> content;
      List<Map<String, Object>> items;
      if (volume.containsKey("secret")) {
        content = secrets.get((String) at(volume, "secret", "secretName"));
        items = (List<Map<String, Object>>) at(volume, "secret", "items");
      } else if (volume.containsKey("configMap")) {
        content = configMaps.get((String) at(volume, "configMap", "name"));
        items = (List<Map<String, Object>>) at(volume, "configMap", "items");
      } else {
        throw new AssertionError("unexpected volume " + volume);
      }
      assertThat(content).as("volume %s refers to something the README creates", volume).isNotNull();
      String mountPath = (String) mount.get("mountPath");
      Path target = Files.createDirectories(root.resolve(mountPath.substring(1)));
      if (items == null) {
        for (Map.Entry<String, String> e : content.entrySet()) {
          Files.writeString(target.resolve(e.getKey()), e.getValue());
        }
      } else {
        for (Map<String, Object> item : items) {
          Files.writeString(target.resolve((String) item.get("path")), content.get((String) item.get("key")));
        }
      }
      result = result.replace("\"" + mountPath + "/", "\"" + target + "/");
    }
    return result;
  }

  /** The container's env as the kubelet would fill it, from the Secrets above and the downward API. */
  private static Map<String, String> env(Map<String, Object> pod) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Map<String, Object> var : list(pod, "containers", 0, "env")) {
      String name = (String) var.get("name");
      if (var.containsKey("value")) {
        env.put(name, String.valueOf(var.get("value")));
      } else if (at(var, "valueFrom", "secretKeyRef") != null) {
        Map<String, Object> ref = map(var, "valueFrom", "secretKeyRef");
        String value = secrets.get((String) ref.get("name")).get((String) ref.get("key"));
        assertThat(value).as("secret %s", ref).isNotNull();
        env.put(name, value);
      } else {
        String field = (String) at(var, "valueFrom", "fieldRef", "fieldPath");
        env.put(name, switch (field) {
          case "spec.nodeName" -> "node-a";
          case "metadata.name" -> NAME + "-6d9f7-abcde";
          default -> throw new AssertionError("unexpected fieldRef " + field);
        });
      }
    }
    return env;
  }

  private static String mintCa() throws Exception {
    Path openssl = Tools.require("openssl");
    Path key = dir.resolve("ca.key");
    Path cert = dir.resolve("ca.pem");
    try (ManagedProcess mint = ManagedProcess.start("openssl", List.of(openssl.toString(), "req", "-x509",
        "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
        "-subj", "/CN=internal-ca"), Map.of(), null)) {
      assertThat(mint.awaitExit(Duration.ofSeconds(30))).hasValue(0);
    }
    return Files.readString(cert);
  }
}
