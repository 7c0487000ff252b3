package io.socketiocanary.compare;

import java.time.Duration;
import java.time.Instant;

/**
 * A half-open time range [start, end) to compare. Immutable.
 */
public record Window(Instant start, Instant end) {
  public Window {
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("window must end after it starts: " + start + ".." + end);
    }
  }

  /**
   * Parses {@code A..B}; each side is RFC 3339, unix seconds or {@code now[±duration]}, read
   * relative to {@code now}.
   */
  public static Window parse(String text, Instant now) {
    int dots = text.indexOf("..");
    if (dots < 0 || text.indexOf("..", dots + 2) >= 0) {
      throw new IllegalArgumentException("expected START..END, got \"" + text + "\"");
    }
    Instant start = TimeExpressions.instant(text.substring(0, dots).strip(), now);
    Instant end = TimeExpressions.instant(text.substring(dots + 2).strip(), now);
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("\"" + text + "\" ends before it starts");
    }
    return new Window(start, end);
  }

  public Duration length() {
    return Duration.between(start, end);
  }

  public double seconds() {
    return length().toMillis() / 1000.0;
  }

  /** The PromQL range selector covering the window when evaluated at {@link #end()}, e.g. {@code [3600s]}. */
  public String rangeSelector() {
    return "[" + Math.max(1, length().toSeconds()) + "s]";
  }

  @Override
  public String toString() {
    return start + ".." + end + " (" + TimeExpressions.format(length()) + ")";
  }
}
