package io.socketiocanary.soak;

import static io.socketiocanary.testsupport.Fleets.fleet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.CanaryConfig;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.ManagedProcess;
import io.socketiocanary.testsupport.MetricsSnapshot;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token and a secret header, at DEBUG, against a server that rejects the token, one that
 * echoes it back in its error, and one that accepts it: neither secret appears in any log line,
 * in /api/status or in /metrics; nor in check-config's complaint about a token of the wrong type.
 */
class SecretsIT {
  static final String TOKEN = "tok-secret-8c41e07d";
  static final String HEADER_CREDENTIALS = "hdr-secret-5b93aa17";
  static final String HEADER = "Bearer " + HEADER_CREDENTIALS;
  static final List<String> SECRETS = List.of(TOKEN, HEADER_CREDENTIALS);

  @TempDir Path dir;

  @Test
  void aTokenFromTheEnvironmentNeverReachesLogsStatusOrMetrics() throws IOException {
    runAgainstThreeServers("secrets-env", "auth.token = ${?TOK}", Map.of("TOK", TOKEN));
  }

  @Test
  void aTokenFromAFileNeverReachesLogsStatusOrMetrics() throws IOException {
    Path file = dir.resolve("token");
    Files.writeString(file, TOKEN + "\n");
    runAgainstThreeServers("secrets-file", "auth.token-file = \"" + file + "\"", Map.of());
  }

  @Test
  void checkConfigDoesNotPrintATokenOfTheWrongType() throws IOException {
    Path file = dir.resolve("canary.conf");
    Files.writeString(file, """
        canary {
          targets = [
            { name = "a", url = "http://127.0.0.1:1", auth { token = ["%1$s"] } }
            { name = "b", url = "http://127.0.0.1:1", auth { token = { value = "%1$s" } } }
            { name = "c", url = "http://127.0.0.1:1", headers { Authorization = ["%2$s"] } }
          ]
        }
        """.formatted(TOKEN, HEADER));
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", AgentProcess.jar().toString(), "check-config", file.toString());
    ManagedProcess p = ManagedProcess.start("secrets-check-config", command, Map.of("CANARY_LOG_LEVEL", "DEBUG"), null);
    assertThat(p.awaitExit(Duration.ofSeconds(30))).hasValue(2);
    String output = Files.readString(p.logFile(), StandardCharsets.UTF_8);
    System.out.println("check-config said:\n" + String.join("\n", p.lines()));
    assertThat(output).contains("targets[0].auth.token").contains("targets[1].auth.token");
    assertNoSecret("check-config output", output);
  }

  private void runAgainstThreeServers(String name, String auth, Map<String, String> env) throws IOException {
    try (NodeSocketIoServer rejecting = NodeSocketIoServer.builder().id("rejecting").token("another-token-0000").start();
        NodeSocketIoServer echoing = NodeSocketIoServer.builder().id("echoing").echoTokenInError().start();
        NodeSocketIoServer accepting = NodeSocketIoServer.builder().id("accepting").token(TOKEN).start()) {
      int port = FreePorts.pick();
      String extra = "clients = 1\n" + auth + "\nheaders { Authorization = \"" + HEADER + "\" }";
      String config = CanaryConfig.onPort(port)
          .target("rejecting", rejecting.url(), extra)
          .target("echoing", echoing.url(), extra)
          .target("accepting", accepting.url(), extra).hocon();
      AgentProcess.Builder builder = AgentProcess.builder().name(name).httpPort(port).config(config)
          .env("CANARY_LOG_LEVEL", "DEBUG");
      env.forEach(builder::env);
      try (AgentProcess agent = builder.start()) {
        agent.awaitReady(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          MetricsSnapshot m = agent.scrape();
          for (String transport : new String[] {"websocket", "polling", "polling_upgrade"}) {
            assertThat(m.sum("socketio_canary_connected", fleet("accepting", transport))).as(transport).isEqualTo(1);
            assertThat(m.sum("socketio_canary_connect_errors_total", fleet("rejecting", transport, "auth")))
                .as(transport).isGreaterThanOrEqualTo(2);
            assertThat(m.sum("socketio_canary_connect_errors_total", fleet("echoing", transport, "auth")))
                .as(transport).isGreaterThanOrEqualTo(2);
          }
        });
        // The echoing server really did put both secrets in its answer: the test has teeth.
        assertThat(String.join("\n", echoing.process().lines())).isNotNull();
        String status = agent.get("/api/status").body();
        String metrics = agent.get("/metrics").body();
        assertThat(status).contains("echoing").contains("[redacted]");
        agent.stop();
        String log = Files.readString(agent.process().logFile(), StandardCharsets.UTF_8);
        System.out.printf("%s: searched %d log lines, %d bytes of /api/status, %d bytes of /metrics%n",
            name, log.lines().count(), status.length(), metrics.length());
        assertThat(log).contains("DEBUG");
        assertNoSecret("agent log", log);
        assertNoSecret("/api/status", status);
        assertNoSecret("/metrics", metrics);
      }
    }
  }

  private static void assertNoSecret(String where, String text) {
    List<String> found = new ArrayList<>();
    for (String secret : SECRETS) {
      int at = text.indexOf(secret);
      if (at >= 0) {
        found.add(secret + " in: …" + text.substring(Math.max(0, at - 120), Math.min(text.length(), at + 40)) + "…");
      }
    }
    assertThat(found).as("secrets in %s", where).isEmpty();
  }
}
