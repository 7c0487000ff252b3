package io.socketiocanary.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The rules of a target's sections (probe, reconnection, auth, headers, origin, drill, tls), each
 * with its messages; {@link Rules} holds the agent and target level. Stateless.
 */
final class SectionRules {
  static final List<String> PROBE_KEYS = List.of("event", "timeout");
  static final List<String> RECONNECTION_KEYS =
      List.of("delay", "delay-max", "randomization", "attempts");
  static final List<String> AUTH_KEYS = List.of("token", "token-file");
  static final List<String> DRILL_KEYS = List.of("enabled", "interval", "transports", "timeout");
  static final List<String> TLS_KEYS = List.of("ca-file", "insecure-skip-verify");
  static final List<String> SUBSCRIBE_KEYS = List.of("event", "sequence-field");
  private static final List<String> RECOVERY_LABELS =
      List.of(RecoveryMode.values()).stream().map(RecoveryMode::label).toList();
  /**
   * Every target section with fixed keys, by name: {@code target-defaults} is checked against
   * this, so a section added here is checked there too. ({@code headers} has free-form keys.)
   */
  static final List<Map.Entry<String, List<String>>> SECTION_KEYS = List.of(
      Map.entry("probe", PROBE_KEYS), Map.entry("reconnection", RECONNECTION_KEYS), Map.entry("auth", AUTH_KEYS),
      Map.entry("drill", DRILL_KEYS), Map.entry("tls", TLS_KEYS), Map.entry("subscribe", SUBSCRIBE_KEYS));
  // RFC 9110 token characters.
  private static final Pattern HEADER_NAME = Pattern.compile("[a-zA-Z0-9!#$%&'*+.^_`|~-]+");

  private SectionRules() {}

  static Optional<TlsSettings> tls(Node tls) {
    tls.rejectUnknownKeys(TLS_KEYS);
    Optional<String> caFile = tls.string("ca-file");
    Optional<Boolean> insecure = tls.bool("insecure-skip-verify");
    if (caFile.isEmpty() || insecure.isEmpty()) {
      return Optional.empty();
    }
    if (!caFile.get().isEmpty() && insecure.get()) {
      tls.problem("ca-file and insecure-skip-verify are mutually exclusive");
      return Optional.empty();
    }
    if (caFile.get().isEmpty()) {
      return Optional.of(new TlsSettings(Optional.empty(), insecure.get()));
    }
    return readableFile(tls, "ca-file", caFile.get()).flatMap(path -> {
      try (var in = Files.newInputStream(path)) {
        if (java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
          tls.problem("ca-file", "holds no PEM certificate: " + path);
          return Optional.empty();
        }
      } catch (java.io.IOException | java.security.cert.CertificateException e) {
        tls.problem("ca-file", "is not a PEM certificate file: " + path);
        return Optional.empty();
      }
      return Optional.of(new TlsSettings(Optional.of(path), false));
    });
  }

  static Optional<RecoveryMode> recovery(Node t, String label) {
    Optional<RecoveryMode> mode = RecoveryMode.fromLabel(label);
    if (mode.isEmpty()) {
      String hint = Suggestions.closest(label, RECOVERY_LABELS).map(m -> "did you mean " + m + "?")
          .orElse("expected one of " + String.join(", ", RECOVERY_LABELS));
      t.problem("recovery", "unknown recovery mode " + Values.quote(label) + " (" + hint + ")");
    }
    return mode;
  }

  static Optional<SubscribeSettings> subscribe(Node s) {
    s.rejectUnknownKeys(SUBSCRIBE_KEYS);
    Optional<String> event = s.string("event");
    Optional<String> field = s.string("sequence-field");
    if (event.isEmpty() || field.isEmpty()) {
      return Optional.empty();
    }
    if (!event.get().isEmpty() && field.get().isBlank()) {
      s.problem("sequence-field", "must not be empty when event is set");
      return Optional.empty();
    }
    if (RESERVED_EVENTS.contains(event.get())) {
      s.problem("event", "must not be a reserved Socket.IO event, got " + Values.quote(event.get()));
      return Optional.empty();
    }
    return Optional.of(new SubscribeSettings(event.get(), field.get()));
  }

  /** Events the client library emits itself: a server cannot send them as events. */
  private static final List<String> RESERVED_EVENTS =
      List.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

  static Optional<DrillSettings> drill(Node d) {
    d.rejectUnknownKeys(DRILL_KEYS);
    Optional<Boolean> enabled = d.bool("enabled");
    Optional<Duration> interval = d.positiveDuration("interval");
    Optional<List<TransportMode>> transports = Rules.transports(d);
    Optional<Duration> timeout = d.positiveDuration("timeout");
    if (enabled.isEmpty() || interval.isEmpty() || transports.isEmpty() || timeout.isEmpty()) {
      return Optional.empty();
    }
    if (timeout.get().compareTo(interval.get()) >= 0) {
      d.problem("timeout", "must be shorter than interval (" + d.text("interval") + "), got " + d.text("timeout"));
      return Optional.empty();
    }
    return Optional.of(new DrillSettings(enabled.get(), interval.get(), transports.get(), timeout.get()));
  }

  /** A browser origin: scheme, host and optional port, nothing else (what browsers send). */
  static boolean origin(Node t, String text) {
    try {
      URI uri = new URI(text);
      boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
      boolean bare = uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawQuery() == null
          && uri.getRawFragment() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty());
      if (http && bare) {
        return true;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    t.problem("origin", "must be a browser origin such as https://app.example.com (scheme, host, optional port), got "
        + Values.quote(text));
    return false;
  }

  static Optional<List<String>> authErrorPatterns(Node t) {
    Optional<ConfigList> list = t.list("auth-error-patterns", "a list of strings such as [token, expired]");
    if (list.isEmpty()) {
      return Optional.empty();
    }
    int before = t.problems().count();
    List<String> patterns = new ArrayList<>();
    for (int i = 0; i < list.get().size(); i++) {
      String path = t.path("auth-error-patterns") + "[" + i + "]";
      Values.string(list.get().get(i), path, t.problems(), false).ifPresent(p -> {
        if (p.isBlank()) {
          t.problems().add(path, "must not be empty", list.get().origin());
        } else {
          patterns.add(p.toLowerCase(java.util.Locale.ROOT));
        }
      });
    }
    return t.problems().count() > before ? Optional.empty() : Optional.of(patterns);
  }


  static Optional<ProbeSettings> probe(Node probe, Node target, Optional<Duration> idle) {
    probe.rejectUnknownKeys(PROBE_KEYS);
    Optional<String> event = probe.string("event");
    Optional<Duration> timeout = probe.positiveDuration("timeout");
    if (event.isEmpty() || timeout.isEmpty()) {
      return Optional.empty();
    }
    // Without a probe the timeout is never used, so it need not fit inside idle.
    boolean enabled = !event.get().isEmpty();
    if (enabled && idle.isPresent() && timeout.get().compareTo(idle.get()) >= 0) {
      // Blame the key the user wrote: an error at a line of reference.conf helps nobody.
      if (probe.isWritten("timeout") || !target.isWritten("idle")) {
        probe.problem(
            "timeout",
            "must be shorter than idle (" + target.text("idle") + "), got " + probe.text("timeout"));
      } else {
        target.problem(
            "idle",
            "must be longer than probe.timeout (" + probe.text("timeout") + "), got "
                + target.text("idle"));
      }
      return Optional.empty();
    }
    return Optional.of(new ProbeSettings(event.get(), timeout.get()));
  }

  static Optional<ReconnectionSettings> reconnection(Node r) {
    r.rejectUnknownKeys(RECONNECTION_KEYS);
    Optional<Duration> delay = r.positiveDuration("delay");
    Optional<Duration> delayMax = r.positiveDuration("delay-max");
    if (delay.isPresent() && delayMax.isPresent() && delayMax.get().compareTo(delay.get()) < 0) {
      // As for the probe: blame the key the user wrote.
      if (r.isWritten("delay-max") || !r.isWritten("delay")) {
        r.problem("delay-max", "must be at least delay (" + r.text("delay") + "), got " + r.text("delay-max"));
      } else {
        r.problem("delay", "must be at most delay-max (" + r.text("delay-max") + "), got " + r.text("delay"));
      }
      delayMax = Optional.empty();
    }
    Optional<Double> randomization = r.decimal("randomization").filter(f -> {
      if (f >= 0 && f < 1) {
        return true;
      }
      r.problem("randomization", "must be at least 0 and less than 1, got " + r.text("randomization"));
      return false;
    });
    Optional<OptionalInt> attempts = r.value("attempts").flatMap(v -> attempts(r, v));
    if (delay.isEmpty() || delayMax.isEmpty() || randomization.isEmpty() || attempts.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ReconnectionSettings(delay.get(), delayMax.get(), randomization.get(), attempts.get()));
  }

  static Optional<OptionalInt> attempts(Node r, ConfigValue value) {
    if (value.valueType() == ConfigValueType.STRING && Values.text(value).equals("infinite")) {
      return Optional.of(OptionalInt.empty());
    }
    Optional<Long> n = Values.integer(value).filter(a -> a > 0 && a <= Integer.MAX_VALUE);
    if (n.isEmpty()) {
      r.problem("attempts", "expected a positive integer or \"infinite\", got " + Values.describe(value));
      return Optional.empty();
    }
    return Optional.of(OptionalInt.of(n.get().intValue()));
  }

  static Optional<AuthSettings> auth(Node auth) {
    auth.rejectUnknownKeys(AUTH_KEYS);
    Optional<Secret> token = auth.secret("token").filter(s -> !s.reveal().isEmpty());
    Optional<String> file = auth.string("token-file").filter(f -> !f.isEmpty());
    if (token.isPresent() && file.isPresent()) {
      auth.problem("token and token-file are mutually exclusive");
      return Optional.empty();
    }
    Optional<Path> tokenFile = file.flatMap(f -> readableFile(auth, "token-file", f));
    if (file.isPresent() && tokenFile.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new AuthSettings(token, tokenFile));
  }

  /**
   * A relative path is taken from the directory of the file it is written in, as Prometheus does
   * for its credential files, so the config works whatever the working directory.
   */
  static Optional<Path> readableFile(Node node, String key, String text) {
    Path path;
    try {
      path = Path.of(text);
      String writtenIn = node.raw(key).origin().filename();
      if (!path.isAbsolute() && writtenIn != null) {
        Path dir = Path.of(writtenIn).toAbsolutePath().getParent();
        path = dir.resolve(path);
      }
      path = path.toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      node.problem(key, "is not a valid path: " + e.getReason());
      return Optional.empty();
    }
    if (!Files.exists(path)) {
      node.problem(key, "file does not exist: " + path);
    } else if (!Files.isRegularFile(path)) {
      node.problem(key, "is not a regular file: " + path);
    } else if (!Files.isReadable(path)) {
      node.problem(key, "file is not readable: " + path);
    } else {
      return Optional.of(path);
    }
    return Optional.empty();
  }


  /** Header values are never echoed: {@code Authorization} and {@code Cookie} are common here. */
  static Optional<Map<String, String>> headers(Node headers) {
    int before = headers.problems().count();
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> entry : Node.inFileOrder(headers.values())) {
      String name = entry.getKey();
      ConfigValue value = entry.getValue();
      String path = headers.path(name);
      if (!HEADER_NAME.matcher(name).matches()) {
        headers.problems().add(
            path,
            "invalid header name (allowed: letters, digits and !#$%&'*+-.^_`|~)",
            value.origin());
        continue;
      }
      if (!Values.resolved(value, path, headers.problems(), true)) {
        continue;
      }
      if (value.valueType() == ConfigValueType.OBJECT) {
        headers.problems().add(
            path,
            "expected a string, got an object (quote header names that contain a dot: \"X.Y\" = ...)",
            value.origin());
        continue;
      }
      Optional<String> text = Values.string(value, path, headers.problems(), true);
      if (text.isPresent() && (text.get().indexOf('\r') >= 0 || text.get().indexOf('\n') >= 0)) {
        headers.problems().add(path, "must not contain a line break", value.origin());
        continue;
      }
      text.ifPresent(t -> out.put(name, t));
    }
    return headers.problems().count() > before ? Optional.empty() : Optional.of(out);
  }
}
