package io.socketiocanary.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.testsupport.AgentProcess;
import io.socketiocanary.testsupport.ManagedProcess;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code java -jar socketio-canary.jar diagnose --json …} as a real process, and its JSON report.
 * Stateless and thread-safe.
 */
final class DiagnoseCli {
  /** A log line on stderr, which the process log interleaves with the JSON on stdout. */
  private static final Pattern LOG_LINE = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\S+ +(TRACE|DEBUG|INFO|WARN|ERROR) ");

  /** The exit code and the parsed {@code --json} report. */
  record Outcome(int exitCode, JsonObject json, String output) {
    /** The check called {@code name}: {@code {"name", "status", "summary", "details", "fix"}}. */
    JsonObject check(String name) {
      return json.getJsonArray("checks").stream().map(JsonObject.class::cast)
          .filter(c -> c.getString("name").equals(name)).findFirst()
          .orElseThrow(() -> new AssertionError("no check " + name + " in " + output));
    }

    String status(String name) {
      return check(name).getString("status");
    }

    String summary(String name) {
      return check(name).getString("summary");
    }

    String fix(String name) {
      return check(name).getString("fix");
    }
  }

  private DiagnoseCli() {}

  /** Runs diagnose with {@code --json} and {@code args}; {@code jvmArgs} go before {@code -jar}. */
  static Outcome run(String name, List<String> jvmArgs, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmArgs);
    command.addAll(List.of("-jar", AgentProcess.jar().toString(), "diagnose", "--json"));
    command.addAll(List.of(args));
    ManagedProcess p = ManagedProcess.start("diagnose-" + name, command, Map.of(), null);
    var exit = p.awaitExit(Duration.ofSeconds(60));
    assertThat(exit).as(p.describeTail()).isPresent();
    List<String> stdout = p.lines().stream().filter(line -> !LOG_LINE.matcher(line).find()).toList();
    String out = String.join("\n", stdout);
    assertThat(out).as(p.describeTail()).contains("{").contains("}");
    JsonObject json = new JsonObject(out.substring(out.indexOf('{'), out.lastIndexOf('}') + 1));
    System.out.println(json.encodePrettily());
    return new Outcome(exit.get(), json, String.join("\n", p.lines()));
  }

  static Outcome run(String name, String... args) {
    return run(name, List.of(), args);
  }
}
