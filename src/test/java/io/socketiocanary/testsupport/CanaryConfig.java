package io.socketiocanary.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes agent configurations for tests, so each test states only what it is about. Defaults are
 * short (fast reconnects) because every test runs against servers on loopback.
 */
public final class CanaryConfig {
  private final int httpPort;
  private final List<String> targets = new ArrayList<>();
  private String agent = "";

  private CanaryConfig(int httpPort) {
    this.httpPort = httpPort;
  }

  public static CanaryConfig onPort(int httpPort) {
    return new CanaryConfig(httpPort);
  }

  /** Adds a target; {@code extra} is HOCON inside the target object (e.g. {@code idle = 2s}). */
  public CanaryConfig target(String name, String url, String extra) {
    targets.add(String.format(Locale.ROOT, """
            {
              name = "%s"
              url = "%s"
              reconnection { delay = 500ms, delay-max = 1s, randomization = 0.5 }
              connect-timeout = 5s
              %s
            }""", name, url, extra));
    return this;
  }

  /** Adds HOCON under {@code canary} itself (e.g. {@code metrics { detail = full }}). */
  public CanaryConfig agent(String hocon) {
    agent = agent + hocon + "\n";
    return this;
  }

  public String hocon() {
    return String.format(Locale.ROOT, """
        canary {
          http { host = "127.0.0.1", port = %d }
          %s
          targets = [
        %s
          ]
        }
        """, httpPort, agent, String.join("\n", targets));
  }
}
