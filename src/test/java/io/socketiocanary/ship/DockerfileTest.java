package io.socketiocanary.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.ship.Dockerfile.Instruction;
import io.socketiocanary.ship.Dockerfile.Stage;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs on the development machines or in CI, so the image is never built there;
 * this test reads the Dockerfile and holds it to the rules in docs/docker.md instead.
 */
class DockerfileTest {
  /** image:tag, where the tag starts with a full major.minor.patch version (21.0.8_9-jre, 3.9.11-...). */
  private static final Pattern PINNED =
      Pattern.compile("^[a-z0-9./-]+:(\\d+\\.\\d+\\.\\d+[A-Za-z0-9._-]*)(@sha256:[0-9a-f]{64})?$");

  private static final String ARCHIVE = "/opt/socketio-canary/agent.jsa";

  private static Dockerfile dockerfile;

  @BeforeAll
  static void parse() throws Exception {
    dockerfile = Dockerfile.parse(Path.of("Dockerfile"));
  }

  @Test
  void isAMultiStageBuildThatPackagesTheJarWithMaven() {
    assertThat(dockerfile.stages()).hasSizeGreaterThanOrEqualTo(2);
    Stage build = dockerfile.stages().get(0);
    assertThat(build.from()).startsWith("maven:").endsWith(" AS build");
    assertThat(build.all("RUN")).extracting(Instruction::arguments)
        .anySatisfy(run -> assertThat(run).contains("mvn -B -DskipTests package"));
    assertThat(dockerfile.finalStage().all("COPY")).extracting(Instruction::arguments)
        .contains("--from=build /build/target/socketio-canary.jar /opt/socketio-canary/socketio-canary.jar");
  }

  @Test
  void pinsEveryBaseImageToAnExactVersionTag() {
    for (Stage stage : dockerfile.stages()) {
      String image = stage.from().split("\\s+")[0];
      Matcher matcher = PINNED.matcher(image);
      assertThat(matcher.matches()).as("FROM %s is pinned to an exact version", image).isTrue();
      assertThat(matcher.group(1)).as(image).doesNotContain("latest");
    }
  }

  @Test
  void runsOnAJavaRuntimeWithVirtualThreads() {
    String image = dockerfile.finalStage().from();
    assertThat(image).startsWith("eclipse-temurin:");
    int major = Integer.parseInt(image.substring("eclipse-temurin:".length()).split("[.-]")[0]);
    assertThat(major).as("JRE major version").isGreaterThanOrEqualTo(21);
    assertThat(image).contains("-jre");
  }

  @Test
  void runsAsANumericNonRootUser() {
    List<Instruction> users = dockerfile.finalStage().all("USER");
    assertThat(users).as("USER in the final stage").isNotEmpty();
    String user = users.get(users.size() - 1).arguments();
    assertThat(user).matches("\\d+(:\\d+)?");
    assertThat(Integer.parseInt(user.split(":")[0])).isNotZero();
  }

  @Test
  void keepsTheRootFilesystemReadOnlyWithAVolumeForTmp() {
    assertThat(dockerfile.finalStage().all("VOLUME")).extracting(Instruction::arguments)
        .containsExactly("/tmp");
  }

  @Test
  void shipsTheExampleConfigAsTheDefault() {
    assertThat(dockerfile.finalStage().all("COPY")).extracting(Instruction::arguments)
        .contains("config/ /etc/socketio-canary/");
    assertThat(dockerfile.finalStage().all("CMD")).extracting(Instruction::arguments)
        .containsExactly("[\"run\", \"--config\", \"/etc/socketio-canary/canary.conf\"]");
  }

  @Test
  void startsTheJvmInExecFormWithContainerAwareMemoryFlags() {
    List<Instruction> entrypoints = dockerfile.finalStage().all("ENTRYPOINT");
    assertThat(entrypoints).hasSize(1);
    String entrypoint = entrypoints.get(0).arguments();
    assertThat(entrypoint).as("exec form, so SIGTERM reaches the JVM").startsWith("[\"java\",").endsWith("]");
    assertThat(entrypoint)
        .contains("\"-XX:MaxRAMPercentage=75\"", "\"-XX:+ExitOnOutOfMemoryError\"")
        .endsWith("\"-jar\", \"/opt/socketio-canary/socketio-canary.jar\"]");
  }

  @Test
  void setsFootprintJvmDefaultsADeploymentCanReplace() {
    assertThat(dockerfile.finalStage().all("ENV")).extracting(Instruction::arguments).containsExactly(
        "JDK_JAVA_OPTIONS=\"-XX:+UseSerialGC -Xms8m -XX:NewRatio=5 -XX:MaxNewSize=16m"
            + " -XX:MinHeapFreeRatio=75 -XX:MaxHeapFreeRatio=85"
            + " -XX:TieredStopAtLevel=1 -XX:PerfDataSamplingInterval=1000 -XX:SharedArchiveFile=" + ARCHIVE
            + " -Xlog:disable -Xlog:all=warning:stderr\"",
        "MALLOC_ARENA_MAX=2");
    // On the command line they would win over the variable, and a deployment could not undo them.
    assertThat(dockerfile.finalStage().all("ENTRYPOINT").get(0).arguments())
        .doesNotContain("UseSerialGC", "Xms", "TieredStopAtLevel", "SharedArchiveFile");
  }

  @Test
  void trainsTheClassArchiveWithTheImagesOwnJreAndJarBeforeDroppingRoot() {
    List<Instruction> steps = dockerfile.finalStage().instructions();
    int jar = steps.indexOf(new Instruction("COPY",
        "--from=build /build/target/socketio-canary.jar /opt/socketio-canary/socketio-canary.jar"));
    int script = steps.indexOf(new Instruction("COPY", "docker/train-class-archive.sh /opt/socketio-canary/"));
    int training = indexOf(steps, "RUN", "/opt/socketio-canary/train-class-archive.sh "
        + "/opt/socketio-canary/socketio-canary.jar " + ARCHIVE);
    int user = indexOf(steps, "USER", "");
    assertThat(jar).as("the jar is copied").isNotNegative();
    assertThat(script).as("the script is copied").isNotNegative();
    // The archive is only valid with the jar it was made from, and root writes it beside the jar.
    assertThat(training).as("trained after the jar and the script, before USER").isGreaterThan(Math.max(jar, script))
        .isLessThan(user);
  }

  private static int indexOf(List<Instruction> steps, String keyword, String argumentsStart) {
    for (int i = 0; i < steps.size(); i++) {
      Instruction step = steps.get(i);
      if (step.keyword().equals(keyword) && step.arguments().replaceAll("\\s+", " ")
          .startsWith(argumentsStart)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void exposesTheMetricsPortAndChecksHealthOnIt() {
    assertThat(dockerfile.finalStage().all("EXPOSE")).extracting(Instruction::arguments)
        .containsExactly("9470");
    List<Instruction> checks = dockerfile.finalStage().all("HEALTHCHECK");
    assertThat(checks).hasSize(1);
    assertThat(checks.get(0).arguments()).contains("CMD [").contains("127.0.0.1/9470").contains("GET /health ");
  }
}
