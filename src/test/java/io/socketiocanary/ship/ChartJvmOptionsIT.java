package io.socketiocanary.ship;

import static io.socketiocanary.ship.Helm.list;
import static io.socketiocanary.ship.Helm.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.socketiocanary.ship.Dockerfile.Instruction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's jvm.options, rendered by the real helm: the image's own JVM flags below
 * jvm.largeFleetFrom canaries per pod, the large-fleet list (C2 on) from there, counted the way the
 * agent would count them, and that list the same as the Dockerfile's and docs/docker.md's.
 */
class ChartJvmOptionsIT {
  private static final String NAME = "canary-socketio-canary";
  private static final String ENV = "JDK_JAVA_OPTIONS";
  /** Two targets with nothing but a name and a URL: the agent's default clients and modes each. */
  private static final String[] TWO_PLAIN_TARGETS = {"--set",
      "targets[0].name=a,targets[0].url=https://a.example.com,targets[1].name=b,targets[1].url=https://b.example.com"};
  private static int plainTargetCanaries;

  @BeforeAll
  static void agentDefaults() {
    Helm.requireInstalled();
    Config defaults = ConfigFactory.defaultReference().getConfig("canary.target-defaults");
    plainTargetCanaries = defaults.getInt("clients") * defaults.getList("transports").size();
  }

  @Test
  void aSmallFleetKeepsTheImagesOwnFlags() throws Exception {
    assertThat(jvmEnv(Helm.template())).as("the default values: one target").isEmpty();
  }

  @Test
  void fromLargeFleetFromCanariesOnAPodGetsTheLargeFleetList() throws Exception {
    // Counted with the agent's own defaults (reference.conf), for targets that set neither.
    int count = 2 * plainTargetCanaries;
    assertThat(jvmEnv(template(TWO_PLAIN_TARGETS, "--set", "jvm.largeFleetFrom=" + count)))
        .containsExactly(largeFleetList());
    assertThat(jvmEnv(template(TWO_PLAIN_TARGETS, "--set", "jvm.largeFleetFrom=" + (count + 1)))).isEmpty();
  }

  @Test
  void theCountFollowsEachTargetThenTargetDefaultsAndDividesAcrossShards() throws Exception {
    // everything.yaml: presence 1 client (targetDefaults) x 3 modes, chat 3 x 2; 9 over 3 shards.
    String[] everything = {"-f", Helm.EVERYTHING.toString()};
    assertThat(jvmEnv(template(everything, "--set", "jvm.largeFleetFrom=3"))).containsExactly(largeFleetList());
    assertThat(jvmEnv(template(everything, "--set", "jvm.largeFleetFrom=4"))).isEmpty();
    // Rounded up: 9 over 2 shards is 5 on the fuller one.
    String[] twoShards = {"--set", "sharding.replicas=2", "--set", "jvm.largeFleetFrom=5"};
    assertThat(jvmEnv(template(everything, twoShards))).containsExactly(largeFleetList());
  }

  @Test
  void imageKeepsTheImagesFlagsAtAnySizeAndAListIsPassedAsItIs() throws Exception {
    String[] large = {"--set", "jvm.largeFleetFrom=1"};
    assertThat(jvmEnv(template(large, "--set", "jvm.options=image"))).isEmpty();
    assertThat(jvmEnv(template(large, "--set", "jvm.options=-XX:+UseSerialGC -Xmx300m")))
        .containsExactly("-XX:+UseSerialGC -Xmx300m");
  }

  @Test
  void aJdkJavaOptionsInExtraEnvIsTheOnlyOne() throws Exception {
    assertThat(jvmEnv(Helm.template("--set", "jvm.largeFleetFrom=1",
        "--set", "extraEnv[0].name=" + ENV + ",extraEnv[0].value=-Xmx1g"))).containsExactly("-Xmx1g");
  }

  @Test
  void theLargeFleetListIsTheImagesWithC2OnAndTheTrimAsDocsDockerSays() throws Exception {
    Instruction env = Dockerfile.parse(Path.of("Dockerfile")).finalStage().all("ENV").stream()
        .filter(i -> i.arguments().startsWith(ENV + "=")).findFirst().orElseThrow();
    String image = env.arguments().substring(ENV.length() + 1).replace("\"", "");
    String expected = image.replace(" -XX:TieredStopAtLevel=1", "")
        .replace(" -XX:SharedArchiveFile", " -XX:TrimNativeHeapInterval=10000 -XX:SharedArchiveFile");
    assertThat(largeFleetList()).isEqualTo(expected);
    // docs/docker.md gives both lists, the image's and this one.
    Matcher inDocs = Pattern.compile("`" + ENV + "=\"([^\"]+)\"`").matcher(Files.readString(Path.of("docs", "docker.md")));
    List<String> documented = inDocs.results().map(m -> m.group(1).replaceAll("\\s+", " ")).toList();
    assertThat(documented).containsExactlyInAnyOrder(image, expected);
  }

  /** What the chart renders for the large-fleet case, from a pod of more than enough canaries. */
  private static String largeFleetList() throws Exception {
    List<String> env = jvmEnv(Helm.template("--set", "jvm.largeFleetFrom=1"));
    assertThat(env).hasSize(1);
    return env.get(0);
  }

  private static Helm.Manifests template(String[] first, String... more) throws Exception {
    String[] args = new String[first.length + more.length];
    System.arraycopy(first, 0, args, 0, first.length);
    System.arraycopy(more, 0, args, first.length, more.length);
    return Helm.template(args);
  }

  /** Every JDK_JAVA_OPTIONS value the agent container gets, in order. */
  private static List<String> jvmEnv(Helm.Manifests manifests) {
    Map<String, Object> workload = manifests.ofKind("StatefulSet").isEmpty()
        ? manifests.one("Deployment", NAME) : manifests.one("StatefulSet", NAME);
    Map<String, Object> container = map(workload, "spec", "template", "spec", "containers", 0);
    return list(container, "env").stream().filter(e -> ENV.equals(e.get("name")))
        .map(e -> String.valueOf(e.get("value"))).toList();
  }
}
