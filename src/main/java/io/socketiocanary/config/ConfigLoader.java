package io.socketiocanary.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the agent's HOCON configuration into an {@link AgentConfig}, or fails with every problem
 * in it. Stateless and thread-safe.
 *
 * <p>The user's file is layered over {@code reference.conf}, which holds every default. Targets
 * are a list, which HOCON cannot merge with defaults, so each target object is merged over {@code
 * canary.target-defaults} here. Substitutions such as {@code ${?CHAT_CANARY_TOKEN}} are resolved
 * against the config and then the environment; environment variables are only looked up, never
 * added as keys.
 */
public final class ConfigLoader {
  /** Whether a configuration must name at least one target. */
  public enum Targets {
    /** {@code run --config}: an agent with nothing to watch is a mistake. */
    REQUIRED,
    /** The caller supplies its own targets, as the demo mode does. */
    OPTIONAL
  }

  // Unresolved values are left in place and reported one by one, with their paths, by the rules.
  private static final ConfigResolveOptions RESOLVE =
      ConfigResolveOptions.defaults().setUseSystemEnvironment(false).setAllowUnresolved(true);

  private ConfigLoader() {}

  /**
   * Loads {@code file}, which must name at least one target.
   *
   * @throws ConfigException if the file cannot be read or parsed, or breaks any rule; problems
   *     point at the file's base name and line
   */
  public static AgentConfig load(Path file) throws ConfigException {
    return load(file, System.getenv());
  }

  /** {@link #load(Path)} with the environment given, so that tests can set variables. */
  static AgentConfig load(Path file, Map<String, String> env) throws ConfigException {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    if (!Files.isRegularFile(file)) {
      throw problem("config file does not exist or is not a regular file: " + file, "");
    }
    if (!Files.isReadable(file)) {
      throw problem("config file is not readable: " + file, "");
    }
    Config parsed;
    try {
      parsed = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (com.typesafe.config.ConfigException e) {
      Problems problems = new Problems(name);
      String message = withoutOrigin(e);
      if (e instanceof com.typesafe.config.ConfigException.Parse) {
        message = "syntax error: " + message;
      }
      problems.add("", message, e.origin());
      throw new ConfigException(problems.all());
    }
    return build(parsed, name, env, Targets.REQUIRED);
  }

  /**
   * {@link #fromConfig(Config, String, Targets)} requiring at least one target.
   */
  public static AgentConfig fromConfig(Config root, String originName) throws ConfigException {
    return fromConfig(root, originName, Targets.REQUIRED);
  }

  /**
   * Validates a configuration built in memory, for example with {@link ConfigFactory#parseString}
   * or {@link ConfigFactory#parseMap}. {@code root} holds the {@code canary} object; it is layered
   * over {@code reference.conf} and resolved against the environment here, so it may be
   * unresolved.
   *
   * @param originName shown as the origin of values that come from no file, such as {@code demo}
   * @param targets whether an empty target list is a problem; {@link Targets#OPTIONAL} for callers
   *     that add their own targets
   * @throws ConfigException listing every problem
   */
  public static AgentConfig fromConfig(Config root, String originName, Targets targets)
      throws ConfigException {
    return build(root, originName, System.getenv(), targets);
  }

  static AgentConfig build(Config user, String originName, Map<String, String> env, Targets targets)
      throws ConfigException {
    Problems problems = new Problems(originName);
    Optional<AgentConfig> config = Optional.empty();
    try {
      // Parsed, not ConfigFactory.defaultReference(): that one is already resolved against the
      // process environment, and reference.conf reads CANARY_* variables from `env`.
      Config reference = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf");
      Config environment = ConfigValueFactory.fromMap(env, "environment variables").toConfig();
      // reference.conf reads a few settings from the environment (CANARY_ROLLOUT, CANARY_VANTAGE,
      // CANARY_SHARD_*, CANARY_API_TOKEN). Resolved on its own first: resolveWith() against a
      // source holding its `key = default, key = ${?VAR}` pairs trips Typesafe Config's
      // "replace in parent not possible".
      Config resolvedReference = reference.withFallback(environment).resolve(RESOLVE).withOnlyPath("canary");
      Config resolvedUser =
          user.resolveWith(user.withFallback(resolvedReference).withFallback(environment), RESOLVE);
      Config merged = resolvedUser.withFallback(resolvedReference);
      Optional<Node> canary = canary(resolvedUser, merged, problems);
      if (canary.isPresent()) {
        config = Rules.agent(canary.get(), targets == Targets.REQUIRED);
      }
    } catch (com.typesafe.config.ConfigException e) {
      // A shape the rules did not foresee, such as an unresolvable object merge: still one line.
      problems.add("", withoutOrigin(e), e.origin());
    }
    if (problems.count() > 0) {
      throw new ConfigException(problems.all());
    }
    return config.orElseThrow();
  }

  private static Optional<Node> canary(Config user, Config merged, Problems problems) {
    ConfigValue value = merged.root().get("canary");
    if (!Values.resolved(value, "", problems, false)) {
      return Optional.empty();
    }
    if (!(value instanceof ConfigObject values)) {
      problems.add("", "canary must be an object, got " + Values.describe(value), value.origin());
      return Optional.empty();
    }
    ConfigObject written = user.root().get("canary") instanceof ConfigObject o ? o : null;
    ConfigOrigin origin = written != null ? written.origin() : user.root().origin();
    return Optional.of(new Node(values, written, origin, "", problems));
  }

  /** Typesafe Config prefixes messages with the origin; ours carry it at the end instead. */
  private static String withoutOrigin(com.typesafe.config.ConfigException e) {
    String message = e.getMessage();
    if (e.origin() != null) {
      String prefix = e.origin().description() + ": ";
      if (message.startsWith(prefix)) {
        return message.substring(prefix.length());
      }
    }
    return message;
  }

  private static ConfigException problem(String message, String origin) {
    return new ConfigException(List.of(new ConfigProblem("", message, origin)));
  }
}
