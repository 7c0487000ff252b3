package io.socketiocanary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final String MINIMAL =
      """
      canary {
        targets = [
          { name = chat, url = "https://chat.example.com" }
        ]
      }
      """;

  @TempDir Path dir;

  private Path write(String text) throws IOException {
    return Files.writeString(dir.resolve("canary.conf"), text);
  }

  @Test
  void aMinimalTargetGetsTheDocumentedDefaults() throws Exception {
    AgentConfig config = ConfigLoader.load(write(MINIMAL), Map.of());

    assertThat(config.http()).isEqualTo(new HttpSettings("0.0.0.0", 9470));
    assertThat(config.targets()).containsExactly(
        new TargetConfig(
            "chat",
            URI.create("https://chat.example.com"),
            "/socket.io",
            "/",
            List.of(TransportMode.WEBSOCKET, TransportMode.POLLING, TransportMode.POLLING_UPGRADE),
            2,
            Duration.ofSeconds(90),
            new ProbeSettings("", Duration.ofSeconds(5)),
            Duration.ofSeconds(20),
            new ReconnectionSettings(
                Duration.ofSeconds(1), Duration.ofSeconds(5), 0.5, OptionalInt.empty()),
            AuthSettings.NONE,
            Map.of(),
            "",
            TargetConfig.DEFAULT_AUTH_ERROR_PATTERNS,
            DrillSettings.OFF,
            TlsSettings.SYSTEM));
    assertThat(config.api()).isEqualTo(ApiSettings.NONE);
    assertThat(config.rollout()).isEmpty();
    assertThat(config.metricDetail()).isEqualTo(MetricDetail.COMPACT);
    assertThat(config.targets().get(0).probe().enabled()).isFalse();
    assertThat(config.targets().get(0).auth().enabled()).isFalse();
  }

  @Test
  void everyOptionIsReadAsWritten() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("token"), "t");
    AgentConfig config = ConfigLoader.load(write(
        """
        canary {
          http { host = "127.0.0.1", port = 0 }
          metrics { detail = full }
          targets = [
            {
              name = chat_1
              url = "http://chat.example.com:8080/"
              path = "/ws"
              namespace = "/chat"
              transports = [polling_upgrade, websocket]
              clients = 10000
              idle = 2m
              probe { event = ping, timeout = 1500ms }
              connect-timeout = 3s
              reconnection { delay = 200ms, delay-max = 200ms, randomization = 0, attempts = 7 }
              auth { token-file = "token" }
              headers { X-B = "2", X-A = 1 }
            }
          ]
        }
        """), Map.of());

    TargetConfig chat = config.targets().get(0);
    assertThat(config.http()).isEqualTo(new HttpSettings("127.0.0.1", 0));
    assertThat(config.metricDetail()).isEqualTo(MetricDetail.FULL);
    assertThat(chat.url()).isEqualTo(URI.create("http://chat.example.com:8080/"));
    assertThat(chat.path()).isEqualTo("/ws");
    assertThat(chat.namespace()).isEqualTo("/chat");
    assertThat(chat.transports()).containsExactly(TransportMode.POLLING_UPGRADE, TransportMode.WEBSOCKET);
    assertThat(chat.clients()).isEqualTo(10000);
    assertThat(chat.idle()).isEqualTo(Duration.ofMinutes(2));
    assertThat(chat.probe()).isEqualTo(new ProbeSettings("ping", Duration.ofMillis(1500)));
    assertThat(chat.probe().enabled()).isTrue();
    assertThat(chat.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(chat.reconnection()).isEqualTo(
        new ReconnectionSettings(Duration.ofMillis(200), Duration.ofMillis(200), 0, OptionalInt.of(7)));
    assertThat(chat.auth()).isEqualTo(new AuthSettings(Optional.empty(), Optional.of(tokenFile)));
    // Keys on one line have no order Typesafe Config keeps; see headersKeepTheOrderOfTheFile.
    assertThat(chat.headers()).containsOnly(Map.entry("X-B", "2"), Map.entry("X-A", "1"));
  }

  @Test
  void headersKeepTheOrderOfTheFile() throws Exception {
    AgentConfig config = ConfigLoader.load(write(
        """
        canary.targets = [{
          name = chat, url = "https://chat.example.com"
          headers {
            Zulu = z
            Alpha = a
            Mike = m
          }
        }]
        """), Map.of());

    assertThat(config.targets().get(0).headers().keySet()).containsExactly("Zulu", "Alpha", "Mike");
  }

  @Test
  void aTokenComesFromTheEnvironmentThroughAnOptionalSubstitution() throws Exception {
    Path file = write(
        """
        canary.targets = [{
          name = chat, url = "https://chat.example.com"
          auth { token = ${?CHAT_CANARY_TOKEN} }
        }]
        """);

    AuthSettings set = ConfigLoader.load(file, Map.of("CHAT_CANARY_TOKEN", "s3cr3t")).targets().get(0).auth();
    AuthSettings unset = ConfigLoader.load(file, Map.of()).targets().get(0).auth();

    assertThat(set.token().map(Secret::reveal)).contains("s3cr3t");
    assertThat(unset).isEqualTo(AuthSettings.NONE);
  }

  @Test
  void environmentVariablesAreLookedUpButNeverBecomeKeys() throws Exception {
    Map<String, String> env = Map.of("canary", "x", "canary.http.port", "1", "PORT", "9999");

    AgentConfig config = ConfigLoader.load(write(MINIMAL + "canary.http.port = ${PORT}\n"), env);

    assertThat(config.http().port()).isEqualTo(9999);
  }

  @Test
  void theTokenNeverAppearsInAnErrorOrInToString() throws Exception {
    String token = "s3cr3t-token-value";
    Path file = write(
        """
        canary.targets = [
          { name = a, url = "https://a.example.com", auth { token = "%1$s", token-file = "nope" } }
          { name = b, url = "https://b.example.com", auth { token = ["%1$s"] } }
          { name = c, url = "https://c.example.com", auth { token = "%1$s"${MISSING} } }
          { name = d, url = "https://d.example.com", headers { Authorization = { x = "%1$s" } } }
        ]
        """.formatted(token));

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));

    assertThat(e.getMessage())
        .doesNotContain(token)
        .contains("targets[1].auth.token: expected a string, got a list")
        .contains("targets[2].auth.token: cannot resolve a substitution");
    assertThat(e.problems()).hasSize(4).allSatisfy(p -> assertThat(p.toString()).doesNotContain(token));

    TargetConfig ok = ConfigLoader.load(write(
        """
        canary.targets = [{
          name = a, url = "https://a.example.com", auth.token = "%s"
        }]
        """.formatted(token)), Map.of()).targets().get(0);
    assertThat(ok.auth().token().orElseThrow().reveal()).isEqualTo(token);
    assertThat(ok.toString()).doesNotContain(token).contains("[redacted]");
  }

  @Test
  void aRelativeTokenFileIsTakenFromTheConfigDirectoryAndStoredAbsolute() throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    Path token = Files.writeString(dir.resolve("secrets/chat"), "t");
    Path file = write(
        """
        canary.targets = [{
          name = chat, url = "https://chat.example.com", auth.token-file = "secrets/../secrets/chat"
        }]
        """);

    Path loaded = ConfigLoader.load(file, Map.of()).targets().get(0).auth().tokenFile().orElseThrow();

    assertThat(loaded).isAbsolute().isEqualTo(token.toAbsolutePath());
  }

  @Test
  void aTokenFileThatIsADirectoryIsRejected() throws Exception {
    Path file = write(
        """
        canary.targets = [{
          name = chat, url = "https://chat.example.com", auth.token-file = "."
        }]
        """);

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));

    assertThat(e.getMessage())
        .isEqualTo("targets[0].auth.token-file: is not a regular file: " + dir + " (canary.conf:2)");
  }

  @Test
  void targetDefaultsInTheFileApplyToEveryTargetAndAreCheckedForUnknownKeys() throws Exception {
    AgentConfig config = ConfigLoader.load(write(MINIMAL + "canary.target-defaults.clients = 1\n"), Map.of());
    assertThat(config.targets().get(0).clients()).isEqualTo(1);

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(
        write(MINIMAL + "canary.target-defaults.probe.timout = 1s\n"), Map.of()));
    assertThat(e.getMessage())
        .isEqualTo("target-defaults.probe.timout: unknown key (did you mean timeout?) (canary.conf:6)");

    e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(
        write(MINIMAL + "canary.target-defaults.tls.insecure-skip-verfy = true\n"), Map.of()));
    assertThat(e.getMessage()).isEqualTo("target-defaults.tls.insecure-skip-verfy: unknown key"
        + " (did you mean insecure-skip-verify?) (canary.conf:6)");
  }

  @Test
  void aMissingFileIsOneProblemNamingThePath() {
    Path missing = dir.resolve("missing.conf");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing));

    assertThat(e.getMessage())
        .isEqualTo("config file does not exist or is not a regular file: " + missing);
  }

  @Test
  void anInMemoryConfigMayHaveNoTargetsWhenTheCallerSaysSo() throws Exception {
    AgentConfig config = ConfigLoader.fromConfig(
        ConfigFactory.parseString("canary.http.port = 0"), "demo", ConfigLoader.Targets.OPTIONAL);

    assertThat(config.targets()).isEmpty();
    assertThat(config.http().port()).isZero();
  }

  @Test
  void anInMemoryConfigNamesItsOriginInProblems() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.fromConfig(
        ConfigFactory.parseString("canary.http.port = -1"), "demo"));

    assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
        "http.port: must be between 0 and 65535, got -1 (demo:1)",
        "targets: at least one target is required (demo:1)");
  }

  @Test
  void keysOutsideCanaryAreLeftAloneForSubstitutions() throws Exception {
    AgentConfig config = ConfigLoader.load(write(
        """
        common { idle = 30s }
        canary.targets = [
          { name = chat, url = "https://chat.example.com", idle = ${common.idle} }
        ]
        """), Map.of());

    assertThat(config.targets().get(0).idle()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theExampleConfigLoadsWithoutItsTokenVariable() throws Exception {
    AgentConfig config = ConfigLoader.load(Path.of("config/canary.conf"), Map.of());

    assertThat(config.targets()).extracting(TargetConfig::name).containsExactly("presence", "chat");
    assertThat(config.targets().get(1).auth().enabled()).isFalse();
  }

  @Test
  void recoveryAndSubscribeAreReadAsWrittenAndDefaultToAutoAndNone() throws Exception {
    AgentConfig config = ConfigLoader.load(write(
        """
        canary {
          targets = [
            { name = chat, url = "https://chat.example.com" }
            { name = feed, url = "https://feed.example.com", recovery = off,
              subscribe { event = tick, sequence-field = n } }
            { name = news, url = "https://news.example.com", recovery = on }
          ]
        }
        """), Map.of());

    assertThat(config.targets()).extracting(TargetConfig::recovery)
        .containsExactly(RecoveryMode.AUTO, RecoveryMode.OFF, RecoveryMode.ON);
    assertThat(config.targets().get(0).subscribe()).isEqualTo(SubscribeSettings.NONE);
    assertThat(config.targets().get(0).subscribe().enabled()).isFalse();
    assertThat(config.targets().get(1).subscribe()).isEqualTo(new SubscribeSettings("tick", "n"));
  }
}
