package io.socketiocanary.cli;

import io.socketiocanary.Main;
import io.socketiocanary.diagnose.DiagnoseOptions;
import io.socketiocanary.diagnose.Diagnosis;
import io.socketiocanary.diagnose.JsonReport;
import io.socketiocanary.diagnose.Report;
import io.socketiocanary.diagnose.TextReport;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code diagnose URL}: the field guide's first ten minutes against one target, speaking Engine.IO
 * itself. Exit 0 when every check passed (warnings allowed), 1 when one failed, 2 for bad usage.
 */
@Command(name = "diagnose", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Check DNS, TCP, TLS, the Engine.IO handshake, CORS, WebSocket, the upgrade, sticky sessions, "
        + "the namespace connect and idle survival of one Socket.IO target; prints pass/warn/fail/skip with fixes.")
public final class DiagnoseCommand implements Callable<Integer> {
  @Parameters(paramLabel = "URL", description = "http(s)://host[:port] of the Socket.IO server or its proxy")
  String url;

  @Option(names = "--path", defaultValue = "/socket.io", description = "Engine.IO path (default: ${DEFAULT-VALUE})")
  String path;

  @Option(names = "--namespace", defaultValue = "/", description = "namespace to join (default: ${DEFAULT-VALUE})")
  String namespace;

  @Option(names = "--origin", description = "check CORS as a browser page on this origin would")
  String origin;

  @Option(names = "--token", description = "sent as auth {token} on the namespace connect; never printed")
  String token;

  @Option(names = "--token-file", paramLabel = "FILE", description = "file holding the token")
  Path tokenFile;

  @Option(names = "--header", paramLabel = "K=V", description = "extra HTTP header (repeatable); values never printed")
  Map<String, String> headers = new LinkedHashMap<>();

  @Option(names = "--idle", paramLabel = "DURATION",
      description = "how long to hold an idle connection, e.g. 60s (default: pingInterval + pingTimeout + 10s)")
  String idle;

  @Option(names = "--json", description = "print one JSON document instead of text")
  boolean json;

  @Option(names = "--insecure", description = "continue after a TLS certificate failure (reported as a warning)")
  boolean insecure;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    DiagnoseOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return Main.EXIT_USAGE;
    }
    Vertx vertx = Vertx.vertx();
    try {
      Report report = Diagnosis.run(vertx, options).toCompletionStage().toCompletableFuture().get();
      PrintWriter out = spec.commandLine().getOut();
      out.print(json ? JsonReport.render(report) + System.lineSeparator() : TextReport.render(report));
      out.flush();
      return report.exitCode();
    } catch (ExecutionException e) {
      err.println("error: the diagnosis failed: " + e.getCause());
      err.flush();
      return Main.EXIT_FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.EXIT_FAILURE;
    } finally {
      vertx.close();
    }
  }

  private DiagnoseOptions options() {
    if (token != null && tokenFile != null) {
      throw new IllegalArgumentException("--token and --token-file are mutually exclusive");
    }
    String secret = token;
    if (tokenFile != null) {
      try {
        secret = Files.readString(tokenFile).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read --token-file " + tokenFile + ": " + e);
      }
    }
    Duration idleDuration = idle == null ? null : DiagnoseOptions.parseIdle(idle);
    return DiagnoseOptions.of(url, path, namespace, origin, secret, headers, idleDuration, insecure);
  }
}
