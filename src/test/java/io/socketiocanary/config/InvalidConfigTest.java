package io.socketiocanary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One bad file per rule under {@code config/invalid/}, each mapped to its exact error lines. Each
 * file is copied to {@code canary.conf} in a fresh directory, so origins read {@code
 * canary.conf:N} and {@code {dir}} in an expected line stands for that directory.
 */
class InvalidConfigTest {
  @TempDir Path dir;

  static Stream<Arguments> rules() {
    return Stream.of(
        // The message is Typesafe Config's own (it says parentheses for a brace); the line is the end.
        rule("a HOCON syntax error is one line with file and line",
            "syntax-error.conf",
            "syntax error: expecting a close parentheses ')' here, not: end of file (canary.conf:7)"),
        rule("an unknown key under canary is rejected with a suggestion or the known keys",
            "unknown-top-level-key.conf",
            "targts: unknown key (did you mean targets?) (canary.conf:2)",
            "metrics-path: unknown key (expected one of: http, api, metrics, rollout, vantage, sharding, targets,"
                + " target-defaults) (canary.conf:5)",
            "targets: at least one target is required (canary.conf:1)"),
        rule("an unknown target key is rejected with a did-you-mean",
            "unknown-target-key.conf",
            "targets[0].idel: unknown key (did you mean idle?) (canary.conf:6)"),
        rule("unknown keys in http, probe, reconnection and auth are rejected",
            "unknown-nested-keys.conf",
            "http.prot: unknown key (did you mean port?) (canary.conf:2)",
            "targets[0].probe.timeuot: unknown key (did you mean timeout?) (canary.conf:7)",
            "targets[0].reconnection.max-delay: unknown key"
                + " (expected one of: delay, delay-max, randomization, attempts) (canary.conf:8)",
            "targets[0].auth.tokenfile: unknown key (did you mean token-file?) (canary.conf:9)"),
        rule("a target without a name points at the target",
            "missing-name.conf",
            "targets[0].name: is required (canary.conf:3)"),
        rule("a name outside [a-zA-Z0-9_-] is rejected",
            "bad-name.conf",
            "targets[0].name: must match [a-zA-Z0-9_-]+ (it is the target label), got \"chat room\""
                + " (canary.conf:3)"),
        rule("a name used twice is rejected at its second use",
            "duplicate-name.conf",
            "targets[1].name: duplicate name \"chat\", already used by targets[0] (canary.conf:4)"),
        rule("a target without a url points at the target",
            "missing-url.conf",
            "targets[0].url: is required (canary.conf:3)"),
        rule("a url that is not http or https is rejected",
            "url-not-http.conf",
            "targets[0].url: scheme must be http or https, got \"wss\""
                + " (the client chooses ws or wss itself) (canary.conf:3)"),
        rule("a url with a path, a query or a fragment is rejected without echoing the query",
            "url-with-path-and-query.conf",
            "targets[0].url: must not have a path, got \"/chat\""
                + " (set path for the Socket.IO path and namespace for the namespace) (canary.conf:3)",
            "targets[0].url: must not have a query (canary.conf:3)",
            "targets[0].url: must not have a fragment (canary.conf:3)"),
        rule("a url with user-info is rejected without echoing it",
            "url-with-user-info.conf",
            "targets[0].url: must not contain user-info; send credentials with auth or headers"
                + " (canary.conf:3)"),
        rule("a url without a host or that does not parse is rejected",
            "url-without-host.conf",
            "targets[0].url: must have a host, such as https://chat.example.com (canary.conf:3)",
            "targets[1].url: must be an absolute http or https URL such as https://chat.example.com"
                + " (canary.conf:4)",
            "targets[2].url: is not a valid URL: Illegal character in authority at index 8"
                + " (canary.conf:5)"),
        rule("a path that does not start with a slash is rejected",
            "bad-path.conf",
            "targets[0].path: must start with \"/\", got \"socket.io\" (canary.conf:3)"),
        rule("an origin must be scheme, host and port only, like a browser's",
            "bad-origin.conf",
            "targets[0].origin: must be a browser origin such as https://app.example.com"
                + " (scheme, host, optional port), got \"https://app.example.com/login\" (canary.conf:3)"),
        rule("an empty auth error pattern would match every rejection",
            "empty-auth-error-pattern.conf",
            "targets[0].auth-error-patterns[1]: must not be empty (canary.conf:3)"),
        rule("a drill must be able to fail before the next one starts",
            "drill-timeout-not-shorter-than-interval.conf",
            "targets[0].drill.timeout: must be shorter than interval (30s), got 30s (canary.conf:3)"),
        rule("a shard ordinal must be one of the shards",
            "shard-ordinal-out-of-range.conf",
            "sharding.ordinal: must be less than count (2), got 2 (canary.conf:2)"),
        rule("the rollout label must be a short label-safe value",
            "bad-rollout.conf",
            "rollout: must be at most 64 characters of letters, digits and ._:/- (it becomes a label),"
                + " got \"nginx timeout 3600\" (canary.conf:2)"),
        rule("metrics.detail is compact or full, and metrics has no other key",
            "bad-metric-detail.conf",
            "metrics.buckets: unknown key (expected one of: detail) (canary.conf:4)",
            "metrics.detail: must be one of compact, full, got \"fulll\" (did you mean full?) (canary.conf:3)"),
        rule("a namespace that does not start with a slash is rejected",
            "bad-namespace.conf",
            "targets[0].namespace: must start with \"/\", got \"chat\" (canary.conf:3)"),
        rule("an empty transport list is rejected",
            "empty-transports.conf",
            "targets[0].transports: must list at least one of websocket, polling, polling_upgrade"
                + " (canary.conf:3)"),
        rule("an unknown transport is rejected at its own line",
            "unknown-transport.conf",
            "targets[0].transports[1]: unknown transport \"websockets\" (did you mean websocket?)"
                + " (canary.conf:8)",
            "targets[0].transports[2]: unknown transport \"xhr\""
                + " (expected one of websocket, polling, polling_upgrade) (canary.conf:9)"),
        rule("a transport listed twice is rejected",
            "duplicate-transport.conf",
            "targets[0].transports[2]: duplicate transport \"polling\" (canary.conf:6)"),
        rule("zero clients are rejected",
            "clients-zero.conf",
            "targets[0].clients: must be between 1 and 10000, got 0 (canary.conf:3)"),
        rule("more than 10000 clients are rejected",
            "clients-too-many.conf",
            "targets[0].clients: must be between 1 and 10000, got 10001 (canary.conf:3)"),
        rule("an idle that is not a duration names the target index, the value and the line",
            "idle-not-a-duration.conf",
            "targets[1].idle: expected a duration such as 90s, got \"ninety\" (canary.conf:14)"),
        rule("a duration without a unit is rejected rather than read as milliseconds",
            "duration-without-unit.conf",
            "targets[0].idle: expected a duration such as 90s, got 90 (add a unit: ms, s, m or h)"
                + " (canary.conf:3)"),
        rule("zero and negative durations are rejected",
            "durations-not-positive.conf",
            "targets[0].idle: must be greater than 0, got 0s (canary.conf:6)",
            "targets[0].probe.timeout: must be greater than 0, got 0ms (canary.conf:8)",
            "targets[0].connect-timeout: must be greater than 0, got -5s (canary.conf:7)",
            "targets[0].reconnection.delay: must be greater than 0, got -1s (canary.conf:9)"),
        rule("a probe timeout not shorter than idle is rejected",
            "probe-timeout-not-shorter-than-idle.conf",
            "targets[0].probe.timeout: must be shorter than idle (10s), got 10s (canary.conf:7)"),
        rule("a delay-max below delay is rejected at whichever of the two the user wrote",
            "delay-max-below-delay.conf",
            "targets[0].reconnection.delay-max: must be at least delay (5s), got 1s (canary.conf:6)",
            "targets[1].reconnection.delay: must be at most delay-max (5s), got 10s (canary.conf:11)"),
        rule("a randomization of 1.0 is rejected",
            "randomization-one.conf",
            "targets[0].reconnection.randomization: must be at least 0 and less than 1, got 1.0"
                + " (canary.conf:6)"),
        rule("attempts other than a positive integer or infinite are rejected",
            "attempts-forever.conf",
            "targets[0].reconnection.attempts: expected a positive integer or \"infinite\","
                + " got \"forever\" (canary.conf:6)"),
        rule("zero attempts are rejected",
            "attempts-zero.conf",
            "targets[0].reconnection.attempts: expected a positive integer or \"infinite\", got 0"
                + " (canary.conf:6)"),
        rule("token and token-file together are rejected",
            "token-and-token-file.conf",
            "targets[0].auth: token and token-file are mutually exclusive (canary.conf:6)"),
        rule("a token-file that does not exist is rejected, resolved from the config's directory",
            "token-file-missing.conf",
            "targets[0].auth.token-file: file does not exist: {dir}/secrets/missing-token"
                + " (canary.conf:6)"),
        rule("a header name outside the HTTP token characters is rejected",
            "bad-header-name.conf",
            "targets[0].headers.\"X Trace\": invalid header name"
                + " (allowed: letters, digits and !#$%&'*+-.^_`|~) (canary.conf:7)",
            "targets[0].headers.X: expected a string, got an object"
                + " (quote header names that contain a dot: \"X.Y\" = ...) (canary.conf:8)"),
        rule("an http port out of range and an empty host are rejected",
            "http-port-out-of-range.conf",
            "http.host: must not be empty (canary.conf:2)",
            "http.port: must be between 0 and 65535, got 70000 (canary.conf:2)"),
        rule("a config without targets points at the canary block",
            "no-targets.conf",
            "targets: at least one target is required (canary.conf:1)"),
        rule("an empty target list points at the list",
            "empty-target-list.conf",
            "targets: at least one target is required (canary.conf:2)"),
        rule("wrong types say what was expected",
            "wrong-types.conf",
            "targets[0].transports: expected a list such as [websocket, polling], got \"websocket\""
                + " (canary.conf:8)",
            "targets[0].clients: expected an integer, got \"two\" (canary.conf:6)",
            "targets[0].probe: expected an object, got \"ping\" (canary.conf:7)",
            "targets[0].reconnection.randomization: expected a number, got \"half\" (canary.conf:9)",
            "targets[1]: expected an object, got \"presence\" (canary.conf:11)"),
        rule("a substitution that resolves to nothing is reported at its key",
            "unresolved-substitution.conf",
            "targets[0].url: cannot resolve ${CHAT_URL}: no such key and no such environment variable"
                + " (canary.conf:3)"),
        rule("an unknown recovery mode and a bad subscribe section are rejected with their lines",
            "bad-recovery.conf",
            "targets[0].recovery: unknown recovery mode \"yes\" (expected one of auto, on, off) (canary.conf:6)",
            "targets[1].recovery: unknown recovery mode \"atuo\" (did you mean auto?) (canary.conf:11)",
            "targets[1].subscribe.seq: unknown key (expected one of: event, sequence-field) (canary.conf:12)",
            "targets[1].subscribe.sequence-field: must not be empty when event is set (canary.conf:12)"),
        rule("several problems in one file are all reported",
            "several-problems.conf",
            "http.port: must be between 0 and 65535, got -1 (canary.conf:2)",
            "targets[0].url: must not have a path, got \"/socket.io\""
                + " (set path for the Socket.IO path and namespace for the namespace) (canary.conf:6)",
            "targets[0].clients: must be between 1 and 10000, got 0 (canary.conf:7)",
            "targets[1].url: scheme must be http or https, got \"ftp\""
                + " (the client chooses ws or wss itself) (canary.conf:11)",
            "targets[1].transports[1]: duplicate transport \"websocket\" (canary.conf:12)",
            "targets[1].idle: must be longer than probe.timeout (5s), got 1s (canary.conf:13)",
            "targets[1].name: duplicate name \"chat\", already used by targets[0] (canary.conf:10)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void rejectsTheFileWithExactlyTheseLines(String behaviour, String file, List<String> expected)
      throws IOException {
    Path config = dir.resolve("canary.conf");
    try (InputStream in = InvalidConfigTest.class.getResourceAsStream("/config/invalid/" + file)) {
      assertThat(in).as(file).isNotNull();
      Files.copy(in, config);
    }

    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(config, Map.of()));

    assertThat(e).as("%s should be rejected", file).isNotNull();
    List<String> want = expected.stream().map(line -> line.replace("{dir}", dir.toString())).toList();
    assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactlyElementsOf(want);
    assertThat(e.getMessage()).isEqualTo(String.join("\n", want));
  }

  private static Arguments rule(String behaviour, String file, String... lines) {
    return Arguments.of(behaviour, file, Arrays.asList(lines));
  }
}
