package io.socketiocanary.cli;

import io.socketiocanary.Main;
import io.socketiocanary.agent.AgentRunner;
import io.socketiocanary.agent.ConfigReloader;
import io.socketiocanary.config.AgentConfig;
import io.socketiocanary.config.ConfigException;
import io.socketiocanary.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run --config FILE}: runs the agent until SIGTERM/SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run the agent until SIGTERM or SIGINT, then disconnect every canary cleanly and exit 0.",
        "SIGHUP, or a change to the config file, reloads the configuration without a restart.",
        "Without --config, runs the built-in demo (see `demo --help`)."})
public final class RunCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "HOCON configuration file. Without it, the built-in demo runs.")
  Path config;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (config == null) {
      // A newcomer's first command: show the product working before they have a config.
      return new DemoCommand().run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }
    AgentConfig agentConfig;
    try {
      agentConfig = ConfigLoader.load(config);
    } catch (ConfigException e) {
      ConfigErrors.print(spec.commandLine().getErr(), e);
      return Main.EXIT_USAGE;
    }
    return AgentRunner.runUntilSignalled(vertx -> io.vertx.core.Future.succeededFuture(agentConfig),
        VersionInfo.version(), spec.commandLine().getOut(),
        (agent, url) -> agent.deployCompanion(new ConfigReloader(config, agent)));
  }
}
