package io.socketiocanary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.ManagedProcess;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's command line: exit codes and what a user reads. */
class CommandLineIT {
  @TempDir Path dir;

  @Test
  void checkConfigSaysOkForTheBundledExampleAndExitsZero() {
    ManagedProcess p = jar("check-config", Path.of("config/canary.conf").toAbsolutePath().toString());
    assertThat(p.awaitExit(Duration.ofSeconds(30))).hasValue(0);
    assertThat(String.join("\n", p.lines())).contains("OK: 2 targets, 6 fleets, 12 canaries");
  }

  @Test
  void aBadConfigNamesEveryProblemWithPathAndLineAndExitsTwoWithoutAStackTrace() throws IOException {
    Path file = dir.resolve("canary.conf");
    Files.writeString(file, """
        canary {
          targets = [
            { name = "chat", url = "http://127.0.0.1:1", idle = "ninety" }
            { name = "chat", url = "ftp://example.com", clientz = 3 }
          ]
        }
        """);
    for (String command : List.of("check-config", "run")) {
      ManagedProcess p = command.equals("run") ? jar("run", "--config", file.toString()) : jar(command, file.toString());
      assertThat(p.awaitExit(Duration.ofSeconds(30))).as(command).hasValue(2);
      String output = String.join("\n", p.lines());
      assertThat(output).as(command)
          .contains("targets[0].idle: expected a duration such as 90s, got \"ninety\" (canary.conf:3)")
          .contains("targets[1].name: duplicate name \"chat\", already used by targets[0] (canary.conf:4)")
          .contains("targets[1].url: scheme must be http or https, got \"ftp\"")
          .contains("targets[1].clientz: unknown key (did you mean clients?) (canary.conf:4)")
          .doesNotContain("Exception")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void sigtermDisconnectsEveryCanaryAndExitsZeroPromptly() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().start()) {
      int port = FreePorts.pick();
      String config = CanaryConfig.onPort(port).target("api", server.url(), "clients = 3").hocon();
      try (AgentProcess agent = AgentProcess.builder().name("sigterm").httpPort(port).config(config).start()) {
        agent.awaitReady(Duration.ofSeconds(20));
        // Both sides: the server counts a client as soon as it sent the namespace CONNECT answer,
        // the agent only once its canary has read it; a stop in between has nothing to count as
        // client_disconnect (seen under load: all 9 within the agent's first 334 ms).
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
            .until(() -> server.stats().clients() == 9
                && agent.scrape().sum("socketio_canary_connected", java.util.Map.of()) == 9);
        long start = System.nanoTime();
        assertThat(agent.stop()).isZero();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("agent exit after SIGTERM with 9 canaries: %d ms%n", took.toMillis());
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        String log = String.join("\n", agent.process().lines());
        assertThat(log).contains("reason=client_disconnect").contains("stopped");
        // The server saw every canary leave with a namespace DISCONNECT, not a dropped connection.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
            .until(() -> server.stats().clients() == 0);
        server.process().awaitLine(java.util.regex.Pattern.compile("client namespace disconnect"), Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void usageErrorsExitTwo() {
    ManagedProcess p = jar("run", "--no-such-flag");
    assertThat(p.awaitExit(Duration.ofSeconds(30))).hasValue(2);
  }

  private ManagedProcess jar(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", AgentProcess.jar().toString()));
    command.addAll(List.of(args));
    return ManagedProcess.start("cli-" + args[0], command, java.util.Map.of(), null);
  }
}
