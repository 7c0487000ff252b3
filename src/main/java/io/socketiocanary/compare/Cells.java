package io.socketiocanary.compare;

import java.util.Locale;

/** How the text renderers write numbers: fixed decimals, ASCII only, "-" for none. Stateless. */
final class Cells {
  static final String METHODS = "rates: exact Poisson test (conditional binomial); quantiles: Mann-Whitney on "
      + "histogram buckets; availability: two-proportion z-test on canary-minutes; "
      + "recovered ratio: the same on judged reconnects; better/worse needs p < "
      + fmt(Verdicts.ALPHA, 2) + " and a change of at least " + Math.round(Verdicts.MIN_RELATIVE_CHANGE * 100) + " %";

  private Cells() {}

  static String value(double v, String unit) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return switch (unit) {
      case "%" -> fmt(v, 2) + " %";
      case "s" -> (v < 10 ? fmt(v, 3) : fmt(v, 1)) + " s";
      default -> fmt(v, 1);
    };
  }

  static String change(Row row) {
    double b = row.before();
    double a = row.after();
    if (Double.isNaN(b) || Double.isNaN(a)) {
      return "-";
    }
    if (row.unit().equals("%")) {
      return sign(a - b) + fmt(Math.abs(a - b), 2) + " pp";
    }
    double rel = Verdicts.relativeChange(b, a);
    if (Double.isInfinite(rel)) {
      return "new";
    }
    return sign(rel) + Math.round(Math.abs(rel) * 100) + " %";
  }

  static String pValue(double p) {
    if (Double.isNaN(p)) {
      return "";
    }
    return p < 0.001 ? "<0.001" : fmt(p, 3);
  }

  static String summary(Report report) {
    StringBuilder out = new StringBuilder();
    for (Verdict v : Verdict.values()) {
      long n = report.rows().stream().filter(r -> r.verdict() == v).count();
      if (n > 0) {
        out.append(out.length() == 0 ? "" : ", ").append(n).append(' ').append(v.text());
      }
    }
    return out.toString();
  }

  private static String sign(double d) {
    return d > 0 ? "+" : d < 0 ? "-" : "";
  }

  private static String fmt(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
