package io.socketiocanary.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The schema under {@code canary}: every key, every rule and every message, in one place. Rules
 * read through a {@link Node}, which records problems, so one pass finds all of them. Stateless.
 */
final class Rules {
  static final List<String> CANARY_KEYS =
      List.of("http", "api", "metrics", "rollout", "vantage", "sharding", "targets", "target-defaults");
  static final List<String> METRICS_KEYS = List.of("detail");
  static final List<String> SHARDING_KEYS = List.of("count", "ordinal");
  static final List<String> API_KEYS = List.of("token", "recycle-spread");
  static final List<String> HTTP_KEYS = List.of("host", "port");
  static final List<String> TARGET_KEYS =
      List.of(
          "name", "url", "path", "namespace", "transports", "clients", "idle", "probe",
          "connect-timeout", "reconnection", "auth", "headers", "origin", "auth-error-patterns", "drill", "tls",
          "recovery", "subscribe");

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]+");
  private static final Pattern LABEL_VALUE = Pattern.compile("[a-zA-Z0-9._:/-]*");
  private static final List<String> TRANSPORT_LABELS =
      List.of(TransportMode.values()).stream().map(TransportMode::label).toList();
  static final int MAX_CLIENTS = 10_000;

  private Rules() {}

  /**
   * The whole agent config, or empty if anything is wrong.
   *
   * @param canary the {@code canary} object
   * @param requireTargets whether an empty {@code targets} list is a problem
   */
  static Optional<AgentConfig> agent(Node canary, boolean requireTargets) {
    Problems problems = canary.problems();
    int before = problems.count();
    canary.rejectUnknownKeys(CANARY_KEYS);
    Optional<HttpSettings> http = canary.object("http").flatMap(Rules::http);
    Optional<ApiSettings> api = canary.object("api").flatMap(Rules::api);
    Optional<MetricDetail> detail = canary.object("metrics").flatMap(Rules::metricDetail);
    Optional<String> rollout = canary.string("rollout").filter(r -> labelValue(canary, "rollout", r));
    Optional<String> vantage = canary.string("vantage").filter(v -> labelValue(canary, "vantage", v));
    Optional<ShardSettings> sharding = canary.object("sharding").flatMap(Rules::sharding);
    Optional<ConfigObject> defaults = canary.object("target-defaults").map(Rules::targetDefaults);
    List<TargetConfig> targets = new ArrayList<>();
    defaults.ifPresent(d -> targets(canary, d, requireTargets, targets));
    if (problems.count() > before) {
      return Optional.empty();
    }
    return Optional.of(new AgentConfig(http.orElseThrow(), api.orElseThrow(), rollout.orElseThrow(),
        vantage.orElseThrow(), sharding.orElseThrow(), detail.orElseThrow(), targets));
  }

  private static Optional<MetricDetail> metricDetail(Node metrics) {
    metrics.rejectUnknownKeys(METRICS_KEYS);
    return metrics.string("detail").flatMap(label -> {
      Optional<MetricDetail> detail = MetricDetail.fromLabel(label);
      if (detail.isEmpty()) {
        String hint = Suggestions.closest(label, MetricDetail.LABELS).map(match -> " (did you mean " + match + "?)")
            .orElse("");
        metrics.problem("detail", "must be one of " + String.join(", ", MetricDetail.LABELS) + ", got "
            + Values.quote(label) + hint);
      }
      return detail;
    });
  }

  private static Optional<ShardSettings> sharding(Node s) {
    s.rejectUnknownKeys(SHARDING_KEYS);
    Optional<Integer> count = s.integer("count", 1, 1000);
    Optional<Integer> ordinal = s.integer("ordinal", 0, 999);
    if (count.isEmpty() || ordinal.isEmpty()) {
      return Optional.empty();
    }
    if (ordinal.get() >= count.get()) {
      s.problem("ordinal", "must be less than count (" + count.get() + "), got " + ordinal.get());
      return Optional.empty();
    }
    return Optional.of(new ShardSettings(count.get(), ordinal.get()));
  }

  private static Optional<ApiSettings> api(Node api) {
    api.rejectUnknownKeys(API_KEYS);
    Optional<Secret> token = api.secret("token");
    Optional<Duration> spread = api.positiveDuration("recycle-spread");
    if (token.isEmpty() || spread.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ApiSettings(token.filter(s -> !s.reveal().isEmpty()), spread.get()));
  }

  /** A value that becomes a label: short and printable, so it cannot blow up a dashboard. */
  private static boolean labelValue(Node node, String key, String value) {
    if (value.length() <= 64 && LABEL_VALUE.matcher(value).matches()) {
      return true;
    }
    node.problem(key, "must be at most 64 characters of letters, digits and ._:/- (it becomes a label), got "
        + Values.quote(value.length() > 64 ? value.substring(0, 64) + "…" : value));
    return false;
  }

  private static Optional<HttpSettings> http(Node http) {
    http.rejectUnknownKeys(HTTP_KEYS);
    Optional<String> host = http.string("host").filter(h -> {
      if (h.isBlank()) {
        http.problem("host", "must not be empty");
        return false;
      }
      return true;
    });
    Optional<Integer> port = http.integer("port", 0, 65_535);
    if (host.isEmpty() || port.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new HttpSettings(host.get(), port.get()));
  }

  /** Users may override per-target defaults too; their keys follow the target schema. */
  private static ConfigObject targetDefaults(Node defaults) {
    defaults.rejectUnknownKeys(TARGET_KEYS);
    SectionRules.SECTION_KEYS.forEach(section -> checkSection(defaults, section.getKey(), section.getValue()));
    return defaults.values();
  }

  private static void checkSection(Node parent, String key, List<String> known) {
    ConfigValue value = parent.raw(key);
    try {
      if (value == null || value.valueType() != ConfigValueType.OBJECT) {
        return; // each target reports it, with its own path
      }
    } catch (com.typesafe.config.ConfigException.NotResolved e) {
      return; // likewise
    }
    parent.object(key).ifPresent(section -> section.rejectUnknownKeys(known));
  }

  private static void targets(
      Node canary, ConfigObject defaults, boolean requireTargets, List<TargetConfig> out) {
    Optional<ConfigList> list = canary.list("targets", "a list of target objects");
    if (list.isEmpty()) {
      return;
    }
    if (list.get().isEmpty()) {
      if (requireTargets) {
        // A default empty list has no line in the user's file; point at the canary block then.
        boolean written = list.get().origin().resource() == null;
        canary.problems().add(
            canary.path("targets"),
            "at least one target is required",
            written ? list.get().origin() : canary.origin());
      }
      return;
    }
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < list.get().size(); i++) {
      ConfigValue element = list.get().get(i);
      String path = canary.path("targets") + "[" + i + "]";
      if (!Values.resolved(element, path, canary.problems(), false)) {
        continue;
      }
      if (element.valueType() != ConfigValueType.OBJECT) {
        canary.problems().add(
            path, "expected an object, got " + Values.describe(element), element.origin());
        continue;
      }
      ConfigObject written = (ConfigObject) element;
      Node target =
          new Node(written.withFallback(defaults), written, written.origin(), path, canary.problems());
      Optional<TargetConfig> config = target(target);
      // Checked even when the target has other problems, so that fixing those reveals nothing new.
      String name = validName(target).orElse(null);
      if (name != null) {
        Integer first = names.putIfAbsent(name, i);
        if (first != null) {
          target.problem(
              "name", "duplicate name " + Values.quote(name) + ", already used by targets[" + first + "]");
          continue;
        }
      }
      config.ifPresent(out::add);
    }
  }

  /** The target's name if it is valid, without recording anything: target() already has. */
  private static Optional<String> validName(Node t) {
    ConfigValue value = t.raw("name");
    try {
      if (value == null || value.valueType() != ConfigValueType.STRING) {
        return Optional.empty();
      }
    } catch (com.typesafe.config.ConfigException.NotResolved e) {
      return Optional.empty();
    }
    String name = Values.text(value);
    return NAME.matcher(name).matches() ? Optional.of(name) : Optional.empty();
  }

  static Optional<TargetConfig> target(Node t) {
    Problems problems = t.problems();
    int before = problems.count();
    t.rejectUnknownKeys(TARGET_KEYS);
    Optional<String> name = t.string("name").filter(n -> {
      if (NAME.matcher(n).matches()) {
        return true;
      }
      t.problem("name", "must match [a-zA-Z0-9_-]+ (it is the target label), got " + Values.quote(n));
      return false;
    });
    Optional<URI> url = t.string("url").flatMap(u -> url(t, u));
    Optional<String> path = t.string("path").filter(p -> startsWithSlash(t, "path", p));
    Optional<String> namespace = t.string("namespace").filter(n -> startsWithSlash(t, "namespace", n));
    Optional<List<TransportMode>> transports = transports(t);
    Optional<Integer> clients = t.integer("clients", 1, MAX_CLIENTS);
    Optional<Duration> idle = t.positiveDuration("idle");
    Optional<ProbeSettings> probe = t.object("probe").flatMap(p -> SectionRules.probe(p, t, idle));
    Optional<Duration> connectTimeout = t.positiveDuration("connect-timeout");
    Optional<ReconnectionSettings> reconnection = t.object("reconnection").flatMap(SectionRules::reconnection);
    Optional<AuthSettings> auth = t.object("auth").flatMap(SectionRules::auth);
    Optional<Map<String, String>> headers = t.object("headers").flatMap(SectionRules::headers);
    Optional<String> origin = t.string("origin").filter(o -> o.isEmpty() || SectionRules.origin(t, o));
    Optional<List<String>> authPatterns = SectionRules.authErrorPatterns(t);
    Optional<DrillSettings> drill = t.object("drill").flatMap(SectionRules::drill);
    Optional<TlsSettings> tls = t.object("tls").flatMap(SectionRules::tls);
    Optional<RecoveryMode> recovery = t.string("recovery").flatMap(r -> SectionRules.recovery(t, r));
    Optional<SubscribeSettings> subscribe = t.object("subscribe").flatMap(SectionRules::subscribe);
    if (problems.count() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new TargetConfig(
            name.orElseThrow(), url.orElseThrow(), path.orElseThrow(), namespace.orElseThrow(),
            transports.orElseThrow(), clients.orElseThrow(), idle.orElseThrow(),
            probe.orElseThrow(), connectTimeout.orElseThrow(), reconnection.orElseThrow(),
            auth.orElseThrow(), headers.orElseThrow(), origin.orElseThrow(), authPatterns.orElseThrow(),
            drill.orElseThrow(), tls.orElseThrow(), recovery.orElseThrow(), subscribe.orElseThrow()));
  }

  /**
   * Scheme and authority only. The URL is never echoed whole: user-info or a query may hold a
   * credential.
   */
  private static Optional<URI> url(Node t, String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      t.problem("url", "is not a valid URL: " + e.getReason() + " at index " + e.getIndex());
      return Optional.empty();
    }
    String scheme = uri.getScheme();
    if (scheme == null) {
      t.problem("url", "must be an absolute http or https URL such as https://chat.example.com");
      return Optional.empty();
    }
    int before = t.problems().count();
    if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
      t.problem(
          "url",
          "scheme must be http or https, got " + Values.quote(scheme)
              + " (the client chooses ws or wss itself)");
    }
    if (uri.isOpaque() || uri.getHost() == null) {
      t.problem("url", "must have a host, such as https://chat.example.com");
    }
    if (uri.getRawUserInfo() != null) {
      t.problem("url", "must not contain user-info; send credentials with auth or headers");
    }
    String rawPath = uri.getRawPath();
    if (rawPath != null && !rawPath.isEmpty() && !rawPath.equals("/")) {
      t.problem(
          "url",
          "must not have a path, got " + Values.quote(rawPath)
              + " (set path for the Socket.IO path and namespace for the namespace)");
    }
    if (uri.getRawQuery() != null) {
      t.problem("url", "must not have a query");
    }
    if (uri.getRawFragment() != null) {
      t.problem("url", "must not have a fragment");
    }
    return t.problems().count() > before ? Optional.empty() : Optional.of(uri);
  }

  private static boolean startsWithSlash(Node t, String key, String value) {
    if (value.startsWith("/")) {
      return true;
    }
    t.problem(key, "must start with \"/\", got " + Values.quote(value));
    return false;
  }

  /** The {@code transports} list of a target or of its drill settings. */
  static Optional<List<TransportMode>> transports(Node t) {
    Optional<ConfigList> list = t.list("transports", "a list such as [websocket, polling]");
    if (list.isEmpty()) {
      return Optional.empty();
    }
    if (list.get().isEmpty()) {
      t.problem("transports", "must list at least one of " + String.join(", ", TRANSPORT_LABELS));
      return Optional.empty();
    }
    int before = t.problems().count();
    List<TransportMode> modes = new ArrayList<>();
    for (int i = 0; i < list.get().size(); i++) {
      ConfigValue element = list.get().get(i);
      String path = t.path("transports") + "[" + i + "]";
      if (!Values.resolved(element, path, t.problems(), false)) {
        continue;
      }
      Optional<String> label = Values.string(element, path, t.problems(), false);
      if (label.isEmpty()) {
        continue;
      }
      Optional<TransportMode> mode = TransportMode.fromLabel(label.get());
      if (mode.isEmpty()) {
        String hint =
            Suggestions.closest(label.get(), TRANSPORT_LABELS)
                .map(match -> "did you mean " + match + "?")
                .orElse("expected one of " + String.join(", ", TRANSPORT_LABELS));
        t.problems().add(
            path, "unknown transport " + Values.quote(label.get()) + " (" + hint + ")", element.origin());
      } else if (modes.contains(mode.get())) {
        t.problems().add(
            path, "duplicate transport " + Values.quote(label.get()), element.origin());
      } else {
        modes.add(mode.get());
      }
    }
    return t.problems().count() > before ? Optional.empty() : Optional.of(modes);
  }
}
