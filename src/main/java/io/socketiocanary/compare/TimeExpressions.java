package io.socketiocanary.compare;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the times and durations of the command line: RFC 3339 ({@code 2025-05-01T10:00:00Z}),
 * unix seconds ({@code 1746093600}), relative ({@code now}, {@code now-2h}, {@code now-1h30m})
 * and Prometheus-style durations ({@code 90s}, {@code 1h}, {@code 1h30m}, {@code 2d}). Errors are
 * {@link IllegalArgumentException}s whose message shows what was expected. Stateless.
 */
public final class TimeExpressions {
  private static final Pattern RELATIVE = Pattern.compile("now(?:([+-])(.+))?");
  private static final Pattern UNIX = Pattern.compile("\\d+(\\.\\d+)?");
  private static final Pattern DURATION = Pattern.compile("(?:\\d+(?:ms|s|m|h|d|w))+");
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

  private TimeExpressions() {}

  /** The instant {@code text} names, relative ones counted from {@code now}. */
  public static Instant instant(String text, Instant now) {
    String t = text.strip();
    Matcher relative = RELATIVE.matcher(t);
    if (relative.matches()) {
      if (relative.group(1) == null) {
        return now;
      }
      Duration offset = duration(relative.group(2));
      return relative.group(1).equals("-") ? now.minus(offset) : now.plus(offset);
    }
    if (UNIX.matcher(t).matches()) {
      BigDecimal seconds = new BigDecimal(t);
      return Instant.ofEpochSecond(seconds.longValue(),
          seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }
    try {
      // RFC 3339 allows a space for T and lower-case t/z.
      String iso = t.replace(' ', 'T').toUpperCase(Locale.ROOT);
      return OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("expected a time as RFC 3339 (2025-05-01T10:00:00Z), unix seconds "
          + "or now-2h, got \"" + text + "\"");
    }
  }

  /** A positive duration such as {@code 1h}, {@code 90m} or {@code 1h30m}. */
  public static Duration duration(String text) {
    String t = text.strip();
    if (!DURATION.matcher(t).matches()) {
      throw new IllegalArgumentException("expected a duration such as 1h, 90m or 1h30m, got \"" + text + "\"");
    }
    Duration total = Duration.ZERO;
    Matcher part = DURATION_PART.matcher(t);
    while (part.find()) {
      long n = Long.parseLong(part.group(1));
      total = total.plus(switch (part.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofDays(7 * n);
      });
    }
    if (total.isZero()) {
      throw new IllegalArgumentException("duration must be positive, got \"" + text + "\"");
    }
    return total;
  }

  /** A short human form: {@code 1h}, {@code 1h30m}, {@code 40m12s}. */
  public static String format(Duration d) {
    long s = d.toSeconds();
    StringBuilder out = new StringBuilder();
    if (s >= 86400 && s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s >= 3600) {
      out.append(s / 3600).append('h');
    }
    if (s % 3600 >= 60) {
      out.append(s % 3600 / 60).append('m');
    }
    if (s % 60 != 0 || out.length() == 0) {
      out.append(s % 60).append('s');
    }
    return out.toString();
  }
}
