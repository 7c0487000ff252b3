package io.socketiocanary.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.FreePorts;
import io.socketiocanary.testsupport.ManagedProcess;
import io.socketiocanary.testsupport.NodeSocketIoServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar socketio-canary.jar diagnose …} as a real process: exit codes, text and JSON output. */
class DiagnoseCommandIT {
  @TempDir Path dir;

  @Test
  void aHealthyTargetPrintsEveryCheckAndExitsZero() {
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().pingInterval(Duration.ofSeconds(1))
        .pingTimeout(Duration.ofSeconds(1)).start()) {
      ManagedProcess p = diagnose("healthy", server.url(), "--idle", "2s");
      assertThat(p.awaitExit(Duration.ofSeconds(60))).as(p.describeTail()).hasValue(0);
      String out = String.join("\n", p.lines());
      for (String name : List.of("dns", "tcp", "handshake", "websocket", "upgrade", "sticky", "namespace", "idle")) {
        assertThat(out).containsPattern("(?m)^PASS  " + name + " ");
      }
      assertThat(out).contains("SKIP  tls ").contains("SKIP  recovery   server does not offer connection state recovery")
          .contains("result: PASS (8 passed, 0 warnings, 0 failed, 3 skipped)");
    }
  }

  @Test
  void aRejectedTokenExitsOneAndTheJsonParsesAndNeverContainsTheTokenOrHeaderValue() throws Exception {
    String token = "cli-wrong-token-31337";
    Path tokenFile = Files.writeString(dir.resolve("token"), token + "\n");
    try (NodeSocketIoServer server = NodeSocketIoServer.builder().token("right-token-1234").start()) {
      ManagedProcess p = diagnose("json", server.url(), "--json", "--token-file", tokenFile.toString(),
          "--header", "X-Api-Key=cli-header-secret-42");
      assertThat(p.awaitExit(Duration.ofSeconds(60))).as(p.describeTail()).hasValue(1);
      String out = String.join("\n", p.lines());
      assertThat(out).doesNotContain(token).doesNotContain("cli-header-secret-42");
      JsonObject json = new JsonObject(out.substring(out.indexOf('{'), out.lastIndexOf('}') + 1));
      assertThat(json.getString("result")).isEqualTo("fail");
      assertThat(json.getString("target")).startsWith(server.url());
      JsonObject namespace = json.getJsonArray("checks").stream().map(JsonObject.class::cast)
          .filter(c -> c.getString("name").equals("namespace")).findFirst().orElseThrow();
      assertThat(namespace.getString("status")).isEqualTo("fail");
      assertThat(namespace.getString("summary")).contains("auth");
      assertThat(namespace.getJsonObject("details").getBoolean("tokenSent")).isTrue();
      assertThat(namespace.getString("fix")).isNotBlank();
    }
  }

  @Test
  void aRefusedConnectionExitsOne() {
    ManagedProcess p = diagnose("refused", "http://127.0.0.1:" + FreePorts.pick());
    assertThat(p.awaitExit(Duration.ofSeconds(60))).as(p.describeTail()).hasValue(1);
    assertThat(String.join("\n", p.lines())).contains("FAIL  tcp        connection refused");
  }

  @Test
  void usageErrorsExitTwoWithAMessage() {
    Map<List<String>, String> cases = Map.of(
        List.of("ftp://example.com"), "URL scheme must be http or https",
        List.of("http://127.0.0.1:1", "--token", "a", "--token-file", "/etc/hostname"), "mutually exclusive",
        List.of("http://127.0.0.1:1", "--token-file", dir.resolve("missing").toString()), "cannot read --token-file",
        List.of("http://127.0.0.1:1", "--idle", "soon"), "--idle: expected a duration");
    cases.forEach((args, message) -> {
      ManagedProcess p = diagnose("usage", args.toArray(String[]::new));
      assertThat(p.awaitExit(Duration.ofSeconds(30))).as(args.toString()).hasValue(2);
      assertThat(String.join("\n", p.lines())).as(args.toString()).contains(message).doesNotContain("\tat ");
    });
  }

  private ManagedProcess diagnose(String name, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", AgentProcess.jar().toString(), "diagnose"));
    command.addAll(List.of(args));
    return ManagedProcess.start("diagnose-" + name, command, Map.of(), null);
  }
}
