package io.socketiocanary.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One HOCON object being read, at a known path. Reads record a problem instead of throwing, so a
 * load goes on and finds every problem. Not thread-safe; lives for one load.
 *
 * <p>It keeps two views of the object: {@code values}, what the user wrote merged over the
 * defaults, and {@code written}, what the user wrote alone. Only the user's keys are checked
 * against the schema, and a merged object has no line number, so origins come from
 * {@code written}.
 */
final class Node {
  private final ConfigObject values;
  private final ConfigObject written;
  private final ConfigOrigin origin;
  private final String path;
  private final Problems problems;

  /**
   * @param values the object to read
   * @param written the part the user wrote, or null if it all comes from defaults
   * @param origin where to point for problems with the object as a whole, such as a missing key
   * @param path the path of this object relative to {@code canary}, "" for {@code canary} itself
   */
  Node(ConfigObject values, ConfigObject written, ConfigOrigin origin, String path, Problems problems) {
    this.values = values;
    this.written = written;
    this.origin = origin;
    this.path = path;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  ConfigOrigin origin() {
    return origin;
  }

  Problems problems() {
    return problems;
  }

  ConfigObject values() {
    return values;
  }

  /** The path of a key of this object: quoted when HOCON needs it, {@code headers."X Y"}. */
  String path(String key) {
    String segment = ConfigUtil.joinPath(key);
    return path.isEmpty() ? segment : path + "." + segment;
  }

  /** Records a problem with this object as a whole. */
  void problem(String message) {
    problems.add(path, message, origin);
  }

  /**
   * The value at {@code key}. A non-object the user wrote replaces the default entirely, as in
   * HOCON; reading it from the user's side keeps an unresolved one from being wrapped in a merge
   * with the default, which would hide its path and line.
   */
  ConfigValue raw(String key) {
    ConfigValue mine = written == null ? null : written.get(key);
    if (mine != null) {
      try {
        if (mine.valueType() != ConfigValueType.OBJECT) {
          return mine;
        }
      } catch (com.typesafe.config.ConfigException.NotResolved e) {
        return mine;
      }
    }
    return values.get(key);
  }

  /** Whether the user wrote {@code key} here, as opposed to it coming from the defaults. */
  boolean isWritten(String key) {
    return written != null && written.containsKey(key);
  }

  /** Records a problem with the value of {@code key}, pointing at that value. */
  void problem(String key, String message) {
    ConfigValue value = raw(key);
    problems.add(path(key), message, value == null ? origin : value.origin());
  }

  /** Every key the user wrote here that is not in {@code known}, with a suggestion if close. */
  void rejectUnknownKeys(List<String> known) {
    if (written == null) {
      return;
    }
    for (Map.Entry<String, ConfigValue> entry : inFileOrder(written)) {
      String key = entry.getKey();
      if (known.contains(key)) {
        continue;
      }
      String hint =
          Suggestions.closest(key, known)
              .map(match -> " (did you mean " + match + "?)")
              .orElseGet(() -> " (expected one of: " + String.join(", ", known) + ")");
      problems.add(path(key), "unknown key" + hint, entry.getValue().origin());
    }
  }

  /** The value of {@code key}, or empty after recording why not. */
  Optional<ConfigValue> value(String key) {
    return value(key, false);
  }

  private Optional<ConfigValue> value(String key, boolean secret) {
    ConfigValue value = raw(key);
    if (value == null) {
      problems.add(path(key), "is required", origin);
      return Optional.empty();
    }
    return Values.resolved(value, path(key), problems, secret) ? Optional.of(value) : Optional.empty();
  }

  /** The value of {@code key} as the user wrote it, for messages about its relation to others. */
  String text(String key) {
    return Values.text(raw(key));
  }

  Optional<String> string(String key) {
    return value(key).flatMap(v -> Values.string(v, path(key), problems, false));
  }

  /** A string that is never echoed in a message. */
  Optional<Secret> secret(String key) {
    return value(key, true).flatMap(v -> Values.string(v, path(key), problems, true)).map(Secret::new);
  }

  Optional<Boolean> bool(String key) {
    return value(key).flatMap(v -> Values.bool(v, path(key), problems));
  }

  Optional<Long> integer(String key) {
    return value(key).flatMap(v -> Values.integer(v, path(key), problems));
  }

  /** An integer in [min, max]. */
  Optional<Integer> integer(String key, int min, int max) {
    return integer(key)
        .filter(n -> {
          if (n >= min && n <= max) {
            return true;
          }
          problem(key, "must be between " + min + " and " + max + ", got " + text(key));
          return false;
        })
        .map(Long::intValue);
  }

  Optional<Double> decimal(String key) {
    return value(key).flatMap(v -> Values.decimal(v, path(key), problems));
  }

  Optional<Duration> duration(String key) {
    return value(key).flatMap(v -> Values.duration(v, path(key), problems));
  }

  /** A duration greater than zero. */
  Optional<Duration> positiveDuration(String key) {
    return duration(key).filter(d -> {
      if (!d.isNegative() && !d.isZero()) {
        return true;
      }
      problem(key, "must be greater than 0, got " + text(key));
      return false;
    });
  }

  Optional<ConfigList> list(String key, String expected) {
    return value(key).flatMap(v -> {
      if (v.valueType() == ConfigValueType.LIST) {
        return Optional.of((ConfigList) v);
      }
      problems.add(path(key), "expected " + expected + ", got " + Values.describe(v), v.origin());
      return Optional.empty();
    });
  }

  /** The object at {@code key} as a node of its own. */
  Optional<Node> object(String key) {
    return value(key).flatMap(v -> {
      if (v.valueType() != ConfigValueType.OBJECT) {
        problems.add(path(key), "expected an object, got " + Values.describe(v), v.origin());
        return Optional.empty();
      }
      ConfigValue mine = written == null ? null : written.get(key);
      ConfigObject child = mine instanceof ConfigObject object ? object : null;
      ConfigOrigin childOrigin = child != null ? child.origin() : v.origin();
      return Optional.of(new Node((ConfigObject) v, child, childOrigin, path(key), problems));
    });
  }

  /**
   * Entries in the order they appear in the file. Typesafe Config keeps objects in hash maps, so
   * the line is the best order there is; keys on one line are sorted by name.
   */
  static List<Map.Entry<String, ConfigValue>> inFileOrder(ConfigObject object) {
    return object.entrySet().stream()
        .sorted(
            Comparator.comparingInt((Map.Entry<String, ConfigValue> e) -> e.getValue().origin().lineNumber())
                .thenComparing(Map.Entry::getKey))
        .collect(Collectors.toList());
  }
}
