package io.socketiocanary.cli;

import com.typesafe.config.ConfigFactory;
import io.socketiocanary.Main;
import io.socketiocanary.agent.AgentRunner;
import io.socketiocanary.config.AgentConfig;
import io.socketiocanary.config.ConfigException;
import io.socketiocanary.config.ConfigLoader;
import io.socketiocanary.demo.DemoSettings;
import io.socketiocanary.demo.DemoTarget;
import io.vertx.core.Future;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the product doing its job with nothing to set up. An embedded Socket.IO v4 server
 * behind an embedded proxy that cuts idle connections (the field guide's nginx
 * {@code proxy_read_timeout} incident, scaled to seconds), watched by canaries of every transport
 * mode. Everything binds to 127.0.0.1.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the agent against an embedded Socket.IO server behind a proxy that kills idle connections.",
        "Raise --proxy-idle-timeout above ping interval + ping timeout and the drops stop."})
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--proxy-idle-timeout", paramLabel = "DURATION", defaultValue = "8s",
      converter = DurationConverter.class, description = "Proxy cuts connections idle this long (default ${DEFAULT-VALUE})")
  Duration proxyIdleTimeout = Duration.ofSeconds(8);

  @Option(names = "--ping-interval", paramLabel = "DURATION", defaultValue = "20s",
      converter = DurationConverter.class, description = "Server pingInterval (default ${DEFAULT-VALUE})")
  Duration pingInterval = Duration.ofSeconds(20);

  @Option(names = "--ping-timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = DurationConverter.class, description = "Server pingTimeout (default ${DEFAULT-VALUE})")
  Duration pingTimeout = Duration.ofSeconds(10);

  @Option(names = "--clients", defaultValue = "2", description = "Canaries per transport mode (default ${DEFAULT-VALUE})")
  int clients = 2;

  @Option(names = "--port", defaultValue = "9470", description = "The agent's HTTP port on 127.0.0.1 (default ${DEFAULT-VALUE})")
  int port = 9470;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return run(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  int run(PrintWriter out, PrintWriter err) {
    DemoSettings settings;
    try {
      settings = new DemoSettings(proxyIdleTimeout, pingInterval, pingTimeout);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    return AgentRunner.runUntilSignalled(vertx -> {
      DemoTarget target = new DemoTarget(vertx, settings);
      return target.start().compose(v -> {
        try {
          return Future.succeededFuture(config(target.proxyUrl()));
        } catch (ConfigException e) {
          return Future.failedFuture(new IllegalStateException(e.getMessage(), e));
        }
      });
    }, VersionInfo.version(), out, (agent, baseUrl) -> printWhereToLook(out, settings, baseUrl));
  }

  private AgentConfig config(String proxyUrl) throws ConfigException {
    // Built as HOCON so the demo's target passes the very rules a user's config does.
    String hocon = String.format(Locale.ROOT, """
        canary {
          http { host = "127.0.0.1", port = %d }
          targets = [{
            name = "demo"
            url = "%s"
            clients = %d
            idle = 1h
            reconnection { delay = 1s, delay-max = 5s, randomization = 0.5 }
          }]
        }""", port, proxyUrl, clients);
    return ConfigLoader.fromConfig(ConfigFactory.parseString(hocon), "demo");
  }

  private void printWhereToLook(PrintWriter out, DemoSettings s, String baseUrl) {
    Duration survival = s.pingInterval().plus(s.pingTimeout());
    boolean drops = s.proxyIdleTimeout().compareTo(s.pingInterval()) < 0;
    out.printf(Locale.ROOT, """
        demo: an embedded Socket.IO v4 server (pingInterval %s, pingTimeout %s) behind a proxy
              that cuts connections idle for %s; %d canaries per transport mode go through it.
          status page   %s/
          metrics       %s/metrics
          JSON status   %s/api/status
        """, human(s.pingInterval()), human(s.pingTimeout()), human(s.proxyIdleTimeout()), clients,
        baseUrl, baseUrl, baseUrl);
    if (drops) {
      out.printf(Locale.ROOT, """
          expect: the proxy drops every idle connection after %s, before the server's next ping;
                  watch disconnects, lifetimes clustered at %s and reconnect durations appear.
          the fix: demo --proxy-idle-timeout %s (above pingInterval + pingTimeout = %s)
          """, human(s.proxyIdleTimeout()), human(s.proxyIdleTimeout()),
          human(survival.plusSeconds(10)), human(survival));
    } else {
      out.printf(Locale.ROOT, """
          expect: no drops: server pings every %s, more often than the proxy's %s idle timeout.
          """, human(s.pingInterval()), human(s.proxyIdleTimeout()));
    }
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
