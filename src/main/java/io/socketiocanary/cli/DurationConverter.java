package io.socketiocanary.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import picocli.CommandLine;

/** Command-line durations in the config's syntax (90s, 500ms, 2m), so users learn one format. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    if (value.strip().matches("\\d+(\\.\\d+)?")) {
      throw new CommandLine.TypeConversionException(
          "expected a duration such as 90s or 500ms, got \"" + value + "\" (add a unit: ms, s, m or h)");
    }
    try {
      return ConfigFactory.parseString("d = \"" + value.replace("\"", "") + "\"").getDuration("d");
    } catch (ConfigException e) {
      throw new CommandLine.TypeConversionException("expected a duration such as 90s or 500ms, got \"" + value + "\"");
    }
  }
}
