package io.socketiocanary;

import io.socketiocanary.cli.CheckConfigCommand;
import io.socketiocanary.cli.CompareCommand;
import io.socketiocanary.cli.DemoCommand;
import io.socketiocanary.cli.DiagnoseCommand;
import io.socketiocanary.cli.RunCommand;
import io.socketiocanary.cli.VersionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line of socketio-canary. Exit codes: 0 success, 1 runtime failure, 2 bad usage or
 * bad configuration, 3 a regression found by {@code compare --fail-on-regression}.
 */
@Command(
    name = "socketio-canary",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = "Keeps canary Socket.IO clients connected to your services and measures every disconnect and reconnect.",
    subcommands = {RunCommand.class, CheckConfigCommand.class, DemoCommand.class, DiagnoseCommand.class,
        CompareCommand.class})
public final class Main implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests run commands in-process through it. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExitCodeExceptionMapper(e -> EXIT_FAILURE)
        .setParameterExceptionHandler((e, args) -> {
          e.getCommandLine().getErr().println("error: " + e.getMessage());
          e.getCommandLine().usage(e.getCommandLine().getErr());
          return EXIT_USAGE;
        });
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
