package io.socketiocanary.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.testsupport.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image writes its class-data-sharing archive at build time with docker/train-class-archive.sh.
 * No Docker engine runs here, so this runs the same script against the packaged jar with this JVM,
 * then starts the agent on the archive with {@code -Xshare:on} (which refuses to start on an archive
 * it cannot use) and counts the classes that came from it.
 */
class ClassArchiveTrainingIT {
  private static final Path JAR = Path.of(System.getProperty("canary.jar", "target/socketio-canary.jar"));
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir
  Path dir;

  @Test
  void theTrainingRunWritesAnArchiveTheAgentLoadsItsClassesFrom() throws Exception {
    Path archive = dir.resolve("agent.jsa");
    ProcessBuilder training = new ProcessBuilder("bash", "docker/train-class-archive.sh", JAR.toString(),
        archive.toString(), String.valueOf(FreePorts.pick()));
    training.environment().put("JAVA", JAVA);
    Result trained = run(training, dir.resolve("training.log"));
    assertThat(trained.exitCode()).as(trained.output()).isZero();
    assertThat(trained.output()).contains("archive of the agent's classes at " + archive);
    assertThat(Files.size(archive)).isGreaterThan(5L << 20);

    // check-config of the shipped example: the command line, the config loader, Vert.x-free.
    Result checked = run(new ProcessBuilder(JAVA, "-XX:SharedArchiveFile=" + archive, "-Xshare:on",
        "-Xlog:class+load=info", "-jar", JAR.toString(), "check-config", "config/canary.conf"),
        dir.resolve("check-config.log"));
    assertThat(checked.exitCode()).as(tail(checked.output())).isZero();
    List<String> loaded = checked.output().lines().filter(l -> l.contains("[class,load]")).toList();
    List<String> ours = loaded.stream().filter(l -> l.contains(" io.socketiocanary.")).toList();
    List<String> oursFromTheJar = ours.stream().filter(l -> l.contains("source: file:")).toList();
    assertThat(ours).as("the agent's own classes loaded by check-config").hasSizeGreaterThan(50);
    // A few belong to paths the training run does not take (--version, a duration option).
    assertThat(oursFromTheJar).as("the agent's classes parsed from the jar again, not mapped from the archive")
        .hasSizeLessThan(ours.size() / 10);
    long mapped = loaded.stream().filter(l -> l.contains("source: shared objects file (top)")).count();
    // picocli is compiled for Java 5, and CDS cannot archive class files older than Java 6.
    long parsed = loaded.stream().filter(l -> l.contains("source: file:") && !l.contains(" picocli.")).count();
    assertThat(parsed).as("classes of the jar's libraries parsed again, against %d mapped from the archive", mapped)
        .isLessThan(mapped / 10);
  }

  private record Result(int exitCode, String output) {}

  /** Runs to the end (at most 2 minutes), output to {@code log}; stops what it started if it hangs. */
  private static Result run(ProcessBuilder builder, Path log) throws IOException, InterruptedException {
    Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      throw new AssertionError("did not finish in 2 minutes: " + builder.command() + "\n" + tail(Files.readString(log)));
    }
    return new Result(process.exitValue(), Files.readString(log));
  }

  private static String tail(String output) {
    return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
  }
}
