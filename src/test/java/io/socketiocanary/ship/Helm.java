package io.socketiocanary.ship;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Runs the real helm binary against the chart in helm/socketio-canary and parses what it renders.
 * Without helm on the PATH the calling tests are skipped, except under CI=true where that is a
 * failure, so CI cannot pass by silently skipping them. scripts/install-helm.sh installs it.
 */
final class Helm {
  static final Path CHART = Path.of("helm", "socketio-canary");
  static final Path EVERYTHING = Path.of("src", "test", "resources", "helm", "everything.yaml");
  /** Pinned so .Capabilities does not move with the helm release. */
  private static final String KUBE_VERSION = "1.31.0";

  record Result(int exitCode, String output) {}

  private Helm() {}

  static void requireInstalled() {
    boolean found = onPath("helm");
    if (!found && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError("helm is required under CI=true: run scripts/install-helm.sh");
    }
    assumeTrue(found, "helm not on PATH (scripts/install-helm.sh installs it); skipping");
  }

  static Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("helm"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("helm did not finish in 60s: " + command);
    }
    return new Result(process.exitValue(), output);
  }

  /** `helm template` with the given extra arguments; fails the test when helm does. */
  static Manifests template(String... extraArgs) throws IOException, InterruptedException {
    Result result = render(extraArgs);
    if (result.exitCode() != 0) {
      throw new AssertionError("helm template failed:\n" + result.output());
    }
    return Manifests.parse(result.output());
  }

  static Result render(String... extraArgs) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(
        List.of("template", "canary", CHART.toString(), "--namespace", "monitoring",
            "--kube-version", KUBE_VERSION));
    args.addAll(List.of(extraArgs));
    return run(args.toArray(String[]::new));
  }

  /** The documents of one rendering, as plain maps and lists. */
  record Manifests(List<Map<String, Object>> documents) {
    @SuppressWarnings("unchecked")
    static Manifests parse(String yaml) {
      Iterable<Object> all = new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml);
      return new Manifests(StreamSupport.stream(all.spliterator(), false)
          .filter(Objects::nonNull).map(d -> (Map<String, Object>) d).toList());
    }

    List<Map<String, Object>> ofKind(String kind) {
      return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    Map<String, Object> one(String kind, String name) {
      return documents.stream()
          .filter(d -> kind.equals(d.get("kind")) && name.equals(at(d, "metadata", "name")))
          .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + names()));
    }

    List<String> names() {
      return documents.stream().map(d -> d.get("kind") + "/" + at(d, "metadata", "name")).toList();
    }

    /** The agent's HOCON config from the chart's ConfigMap. */
    String canaryConf() {
      return (String) at(one("ConfigMap", "canary-socketio-canary"), "data", "canary.conf");
    }
  }

  /** Follows map keys and list indices: at(doc, "spec", "containers", 0, "env"). */
  @SuppressWarnings("unchecked")
  static Object at(Object node, Object... path) {
    Object current = node;
    for (Object step : path) {
      if (current == null) {
        return null;
      }
      current = step instanceof Integer i
          ? ((List<Object>) current).get(i)
          : ((Map<String, Object>) current).get(step);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node, Object... path) {
    return (Map<String, Object>) at(node, path);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Object node, Object... path) {
    return (List<Map<String, Object>>) at(node, path);
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
