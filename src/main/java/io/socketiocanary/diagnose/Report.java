package io.socketiocanary.diagnose;

import java.util.List;
import java.util.function.UnaryOperator;

/** The outcome of one diagnosis: every check in the order it ran. Immutable. */
public record Report(String target, List<CheckResult> checks) {

  public Report {
    checks = List.copyOf(checks);
  }

  /** Fails when any check failed; warnings and skips do not fail the diagnosis. */
  public boolean passed() {
    return checks.stream().noneMatch(c -> c.status() == Status.FAIL);
  }

  public String result() {
    return passed() ? "pass" : "fail";
  }

  public int exitCode() {
    return passed() ? 0 : 1;
  }

  /** The check named {@code name}; throws when no such check ran. */
  public CheckResult check(String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no check named " + name));
  }

  public long count(Status status) {
    return checks.stream().filter(c -> c.status() == status).count();
  }

  Report redacted(UnaryOperator<String> redact) {
    return new Report(redact.apply(target), checks.stream().map(c -> c.redacted(redact)).toList());
  }
}
