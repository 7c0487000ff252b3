package io.socketiocanary.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One side of an A/B comparison: label matchers such as {@code target=chat-new} or
 * {@code rollout=new,vantage=eu-west-1a}. Matchers on labels the canary series carry (target,
 * transport, vantage, instance, pod, ...) go into the series selector; matchers on
 * {@code rollout} and {@code version}, which only {@code socketio_canary_build_info} carries,
 * select the agents through a join on {@code (instance, job)}. Immutable.
 */
public record Selection(List<Matcher> matchers) {
  /** Labels of {@code socketio_canary_build_info} that are not on the canary series. */
  static final Set<String> AGENT_LABELS = Set.of("rollout", "version");
  private static final Pattern ONE = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(.*)");

  /** {@code label op value}; op is one of PromQL's =, !=, =~, !~. */
  public record Matcher(String label, String op, String value) {
    String promql() {
      return label + op + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public String toString() {
      return label + op + value;
    }
  }

  public Selection {
    matchers = List.copyOf(matchers);
  }

  /** Parses {@code k=v[,k2=v2...]}; a value may not contain a comma. */
  public static Selection parse(String option, String text) {
    List<Matcher> out = new ArrayList<>();
    for (String part : text.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      java.util.regex.Matcher m = ONE.matcher(part.strip());
      if (!m.matches()) {
        throw new IllegalArgumentException(option + " expects label matchers such as target=chat-new or rollout=new,"
            + " got \"" + part.strip() + "\"");
      }
      if (m.group(1).equals("__name__")) {
        throw new IllegalArgumentException(option + " cannot match on the metric name");
      }
      if (m.group(2).contains("~")) {
        try {
          Pattern.compile(m.group(3));
        } catch (java.util.regex.PatternSyntaxException e) {
          throw new IllegalArgumentException(option + ": " + m.group(1) + m.group(2) + " is not a valid regular expression");
        }
      }
      out.add(new Matcher(m.group(1), m.group(2), m.group(3).strip()));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(option + " needs at least one label matcher, such as target=chat-new");
    }
    return new Selection(out);
  }

  /** The matchers that go on the canary series, plus an optional target, as {@code {a="b",...}}. */
  String seriesSelector(Optional<String> target) {
    List<String> parts = new ArrayList<>();
    target.ifPresent(t -> parts.add(new Matcher("target", "=", t).promql()));
    matchers.stream().filter(m -> !AGENT_LABELS.contains(m.label())).forEach(m -> parts.add(m.promql()));
    return parts.isEmpty() ? "" : "{" + String.join(",", parts) + "}";
  }

  /**
   * {@code * on (instance, job) group_left () ...} selecting the agents whose build info matches,
   * over the same range, or "" when no matcher needs it.
   */
  String agentJoin(String rangeSelector) {
    List<String> parts = matchers.stream().filter(m -> AGENT_LABELS.contains(m.label())).map(Matcher::promql).toList();
    if (parts.isEmpty()) {
      return "";
    }
    return " * on (instance, job) group_left () max by (instance, job) (max_over_time(" + SeriesNames.BUILD_INFO
        + "{" + String.join(",", parts) + "}" + rangeSelector + "))";
  }

  /** The value of a label fixed with {@code =}, if any. */
  Optional<String> fixed(String label) {
    return matchers.stream().filter(m -> m.label().equals(label) && m.op().equals("=")).map(Matcher::value)
        .findFirst();
  }

  @Override
  public String toString() {
    return matchers.stream().map(Matcher::toString).collect(Collectors.joining(","));
  }
}
