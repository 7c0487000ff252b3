package io.socketiocanary.config;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.Optional;

/**
 * Typed reads of single HOCON values. Each read either returns the value or records one problem
 * saying what was expected and what was found, and returns empty. Stateless.
 */
final class Values {
  private Values() {}

  /** Whether {@code value} could be resolved; records a problem if not. */
  static boolean resolved(ConfigValue value, String path, Problems problems, boolean secret) {
    try {
      value.valueType();
      return true;
    } catch (com.typesafe.config.ConfigException.NotResolved e) {
      String what = secret ? "a substitution" : value.render(ConfigRenderOptions.concise());
      problems.add(
          path,
          "cannot resolve " + what + ": no such key and no such environment variable",
          value.origin());
      return false;
    }
  }

  /**
   * A string; numbers and booleans count as their text, as in Typesafe Config. A secret is never
   * echoed, not even when it has the wrong type.
   */
  static Optional<String> string(ConfigValue value, String path, Problems problems, boolean secret) {
    if (isScalar(value)) {
      return Optional.of(text(value));
    }
    String got = secret ? kind(value) : describe(value);
    problems.add(path, "expected a string, got " + got, value.origin());
    return Optional.empty();
  }

  /**
   * A boolean; as in Typesafe Config the strings true/yes/on and false/no/off count, so that
   * {@code enabled = ${?FLAG}} works.
   */
  static Optional<Boolean> bool(ConfigValue value, String path, Problems problems) {
    if (value.valueType() == ConfigValueType.BOOLEAN) {
      return Optional.of((Boolean) value.unwrapped());
    }
    if (value.valueType() == ConfigValueType.STRING) {
      switch (text(value)) {
        case "true", "yes", "on":
          return Optional.of(true);
        case "false", "no", "off":
          return Optional.of(false);
        default:
          break;
      }
    }
    problems.add(path, "expected true or false, got " + describe(value), value.origin());
    return Optional.empty();
  }

  /** An integer; a string of digits counts, so that {@code port = ${?PORT}} works. */
  static Optional<Long> integer(ConfigValue value, String path, Problems problems) {
    return integer(value).or(() -> {
      problems.add(path, "expected an integer, got " + describe(value), value.origin());
      return Optional.empty();
    });
  }

  /** The integer in {@code value}, without recording anything. */
  static Optional<Long> integer(ConfigValue value) {
    if (value.valueType() == ConfigValueType.NUMBER) {
      Object number = value.unwrapped();
      if (number instanceof Integer || number instanceof Long) {
        return Optional.of(((Number) number).longValue());
      }
    } else if (value.valueType() == ConfigValueType.STRING) {
      try {
        return Optional.of(Long.parseLong(text(value).trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** A decimal number; a numeric string counts. */
  static Optional<Double> decimal(ConfigValue value, String path, Problems problems) {
    if (value.valueType() == ConfigValueType.NUMBER) {
      return Optional.of(((Number) value.unwrapped()).doubleValue());
    }
    if (value.valueType() == ConfigValueType.STRING) {
      try {
        return Optional.of(Double.parseDouble(text(value).trim()));
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    problems.add(path, "expected a number, got " + describe(value), value.origin());
    return Optional.empty();
  }

  /**
   * A duration with a unit, such as {@code 90s} or {@code 1500 ms}. A bare number is refused:
   * HOCON would read it as milliseconds, and {@code idle = 90} meaning 90 ms is a trap.
   */
  static Optional<Duration> duration(ConfigValue value, String path, Problems problems) {
    String expected = "expected a duration such as 90s, got ";
    if (value.valueType() == ConfigValueType.STRING) {
      try {
        return Optional.of(value.atKey("value").getDuration("value"));
      } catch (com.typesafe.config.ConfigException e) {
        problems.add(path, expected + describe(value), value.origin());
        return Optional.empty();
      }
    }
    String hint = value.valueType() == ConfigValueType.NUMBER ? " (add a unit: ms, s, m or h)" : "";
    problems.add(path, expected + describe(value) + hint, value.origin());
    return Optional.empty();
  }

  /** The text of a scalar as written: {@code 1.0} stays {@code 1.0}. */
  static String text(ConfigValue value) {
    return value.atKey("value").getString("value");
  }

  /** The value as the user would recognise it: strings quoted, numbers as written. */
  static String describe(ConfigValue value) {
    return switch (value.valueType()) {
      case STRING -> value.render(ConfigRenderOptions.concise());
      case NUMBER, BOOLEAN -> text(value);
      default -> kind(value);
    };
  }

  /** The type alone, for values that must not be echoed. */
  static String kind(ConfigValue value) {
    return switch (value.valueType()) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case LIST -> "a list";
      case OBJECT -> "an object";
    };
  }

  static String quote(String text) {
    return com.typesafe.config.ConfigValueFactory.fromAnyRef(text)
        .render(ConfigRenderOptions.concise());
  }

  private static boolean isScalar(ConfigValue value) {
    ConfigValueType type = value.valueType();
    return type == ConfigValueType.STRING
        || type == ConfigValueType.NUMBER
        || type == ConfigValueType.BOOLEAN;
  }
}
