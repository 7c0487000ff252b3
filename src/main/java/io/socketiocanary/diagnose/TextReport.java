package io.socketiocanary.diagnose;

import java.util.Locale;
import java.util.Map;

/** Renders a report for a terminal: one line per check, then what was seen and the fix for failures. */
public final class TextReport {
  private TextReport() {}

  public static String render(Report report) {
    StringBuilder out = new StringBuilder("socketio-canary diagnose ").append(report.target()).append('\n');
    for (CheckResult check : report.checks()) {
      out.append(String.format(Locale.ROOT, "%-4s  %-9s  %s%n", check.status().name(), check.name(),
          check.summary()));
      if (check.status() == Status.FAIL || check.status() == Status.WARN) {
        for (Map.Entry<String, Object> detail : check.details().entrySet()) {
          out.append("                 ").append(detail.getKey()).append(": ").append(detail.getValue()).append('\n');
        }
        if (check.fix() != null) {
          out.append("      fix: ").append(check.fix()).append('\n');
        }
      } else if (check.status() == Status.SKIP && check.fix() != null) {
        out.append("      fix: ").append(check.fix()).append('\n');
      }
    }
    out.append(String.format(Locale.ROOT, "result: %s (%d passed, %d warnings, %d failed, %d skipped)%n",
        report.result().toUpperCase(Locale.ROOT), report.count(Status.PASS), report.count(Status.WARN),
        report.count(Status.FAIL), report.count(Status.SKIP)));
    return out.toString();
  }
}
