package io.socketiocanary.cli;

import io.socketiocanary.Main;
import io.socketiocanary.config.AgentConfig;
import io.socketiocanary.config.ConfigException;
import io.socketiocanary.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code check-config FILE}: validates a configuration without starting anything. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
    description = "Validate a configuration file: prints OK or every problem, exits 0 or 2.")
public final class CheckConfigCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "HOCON configuration file")
  Path file;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try {
      AgentConfig config = ConfigLoader.load(file);
      int fleets = config.targets().stream().mapToInt(t -> t.transports().size()).sum();
      int canaries = config.targets().stream().mapToInt(t -> t.clients() * t.transports().size()).sum();
      spec.commandLine().getOut().printf("OK: %d targets, %d fleets, %d canaries%n",
          config.targets().size(), fleets, canaries);
      return Main.EXIT_OK;
    } catch (ConfigException e) {
      ConfigErrors.print(spec.commandLine().getErr(), e);
      return Main.EXIT_USAGE;
    }
  }
}
