package io.socketiocanary.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One scrape in the Prometheus text exposition format (what Micrometer's Prometheus registry
 * writes), parsed into series for assertions. Immutable and thread-safe.
 */
public final class MetricsSnapshot {

  /** One sample: metric name (with any _bucket/_count/_sum suffix), labels, value. */
  public record Series(String name, Map<String, String> labels, double value) {}

  private final Map<String, List<Series>> byName;

  private MetricsSnapshot(Map<String, List<Series>> byName) {
    this.byName = byName;
  }

  /** Parses exposition text; comment lines (# HELP, # TYPE, # EOF) are skipped. */
  public static MetricsSnapshot parse(String text) {
    Map<String, List<Series>> byName = new LinkedHashMap<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        Series series = new LineParser(line).parse();
        byName.computeIfAbsent(series.name(), n -> new ArrayList<>()).add(series);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + (i + 1) + " is not a Prometheus sample: " + line, e);
      }
    }
    byName.replaceAll((name, list) -> List.copyOf(list));
    return new MetricsSnapshot(Collections.unmodifiableMap(byName));
  }

  /** Every sample name present (histograms contribute _bucket, _count and _sum). */
  public Set<String> names() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(byName.keySet()));
  }

  public List<Series> series(String name) {
    return byName.getOrDefault(name, List.of());
  }

  /** Sum over every series of {@code name} whose labels include {@code labelSubset}; 0 if none. */
  public double sum(String name, Map<String, String> labelSubset) {
    return series(name).stream()
        .filter(s -> s.labels().entrySet().containsAll(labelSubset.entrySet()))
        .mapToDouble(Series::value)
        .sum();
  }

  /** The value of the one series with exactly {@code labels}. */
  public Optional<Double> value(String name, Map<String, String> labels) {
    return series(name).stream().filter(s -> s.labels().equals(labels)).map(Series::value).findFirst();
  }

  /** {@code <name>_count} summed over series whose labels include {@code labels}. */
  public double histogramCount(String name, Map<String, String> labels) {
    return sum(name + "_count", labels);
  }

  /** {@code <name>_sum} summed over series whose labels include {@code labels}. */
  public double histogramSum(String name, Map<String, String> labels) {
    return sum(name + "_sum", labels);
  }

  /**
   * Cumulative bucket counts by upper bound ({@code le}, +Inf as {@link Double#POSITIVE_INFINITY}),
   * summed over series whose labels (other than le) include {@code labels}; ordered by bound.
   */
  public Map<Double, Double> bucketCounts(String name, Map<String, String> labels) {
    Map<Double, Double> buckets = new TreeMap<>();
    for (Series s : series(name + "_bucket")) {
      if (s.labels().entrySet().containsAll(labels.entrySet()) && s.labels().containsKey("le")) {
        buckets.merge(parseValue(s.labels().get("le")), s.value(), Double::sum);
      }
    }
    return Collections.unmodifiableMap(buckets);
  }

  static double parseValue(String token) {
    return switch (token) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(token);
    };
  }

  /** Parses one sample line: {@code name{a="x",b="y\"z"} value [timestamp]}. */
  private static final class LineParser {
    private final String line;
    private int pos;

    LineParser(String line) {
      this.line = line;
    }

    Series parse() {
      int start = pos;
      while (pos < line.length() && line.charAt(pos) != '{' && !Character.isWhitespace(line.charAt(pos))) {
        pos++;
      }
      String name = line.substring(start, pos);
      if (name.isEmpty()) {
        throw new IllegalArgumentException("no metric name");
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (pos < line.length() && line.charAt(pos) == '{') {
        pos++;
        parseLabels(labels);
      }
      String[] rest = line.substring(pos).strip().split("\\s+");
      if (rest.length < 1 || rest[0].isEmpty()) {
        throw new IllegalArgumentException("no value");
      }
      return new Series(name, Collections.unmodifiableMap(labels), parseValue(rest[0]));
    }

    private void parseLabels(Map<String, String> labels) {
      while (true) {
        skipSpaces();
        if (line.charAt(pos) == '}') {
          pos++;
          return;
        }
        int eq = line.indexOf('=', pos);
        String key = line.substring(pos, eq).strip();
        pos = eq + 1;
        expect('"');
        StringBuilder value = new StringBuilder();
        while (line.charAt(pos) != '"') {
          char c = line.charAt(pos++);
          if (c == '\\') {
            char escaped = line.charAt(pos++);
            value.append(escaped == 'n' ? '\n' : escaped);
          } else {
            value.append(c);
          }
        }
        pos++;
        labels.put(key, value.toString());
        skipSpaces();
        if (line.charAt(pos) == ',') {
          pos++;
        }
      }
    }

    private void expect(char c) {
      if (line.charAt(pos) != c) {
        throw new IllegalArgumentException("expected '" + c + "' at column " + (pos + 1));
      }
      pos++;
    }

    private void skipSpaces() {
      while (pos < line.length() && line.charAt(pos) == ' ') {
        pos++;
      }
    }
  }
}
