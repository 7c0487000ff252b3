package io.socketiocanary.diagnose;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What one check saw: a one-line summary, the facts behind it (details, in the order they were
 * learned) and, for a failure or warning, the direction of the fix. Immutable.
 */
public record CheckResult(String name, Status status, String summary, Map<String, Object> details, String fix) {

  public CheckResult {
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public static CheckResult pass(String name, String summary, Map<String, Object> details) {
    return new CheckResult(name, Status.PASS, summary, details, null);
  }

  public static CheckResult warn(String name, String summary, Map<String, Object> details, String fix) {
    return new CheckResult(name, Status.WARN, summary, details, fix);
  }

  public static CheckResult fail(String name, String summary, Map<String, Object> details, String fix) {
    return new CheckResult(name, Status.FAIL, summary, details, fix);
  }

  public static CheckResult skip(String name, String why) {
    return new CheckResult(name, Status.SKIP, why, Map.of(), null);
  }

  /** The same result with {@code redact} applied to every text it holds, details included. */
  CheckResult redacted(UnaryOperator<String> redact) {
    Map<String, Object> clean = new LinkedHashMap<>();
    details.forEach((k, v) -> clean.put(k, redactValue(v, redact)));
    return new CheckResult(name, status, redact.apply(summary), clean, fix == null ? null : redact.apply(fix));
  }

  private static Object redactValue(Object value, UnaryOperator<String> redact) {
    if (value instanceof String s) {
      return redact.apply(s);
    }
    if (value instanceof java.util.List<?> list) {
      return list.stream().map(v -> redactValue(v, redact)).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> clean = new LinkedHashMap<>();
      map.forEach((k, v) -> clean.put(String.valueOf(k), redactValue(v, redact)));
      return clean;
    }
    return value;
  }
}
