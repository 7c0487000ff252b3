package io.socketiocanary.compare;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * JSON for scripts: the windows (RFC 3339 and seconds), the thresholds, one object per row with
 * raw numbers (null where there is none), and {@code worse}, the gate's answer. In A/B mode
 * ({@code "mode": "ab"}) {@code before}/{@code after} hold sides a and b, named by {@code a} and
 * {@code b}. Stateless.
 */
public final class JsonRenderer {
  private JsonRenderer() {}

  public static String render(Report report) {
    JsonArray rows = new JsonArray();
    for (Row r : report.rows()) {
      rows.add(new JsonObject()
          .put("target", r.target())
          .put("transport", r.transport())
          .put("figure", r.figure())
          .put("reason", r.reason().isEmpty() ? null : r.reason())
          .put("unit", r.unit())
          .put("before", number(r.before()))
          .put("after", number(r.after()))
          .put("pValue", number(r.pValue()))
          .put("verdict", r.verdict().text())
          .put("note", r.note()));
    }
    return new JsonObject()
        .put("before", window(report.before()))
        .put("after", window(report.after()))
        .put("notes", new JsonArray(report.notes()))
        .put("mode", report.sides().ab() ? "ab" : "before_after")
        .put("a", report.sides().ab() ? report.sides().beforeSelection() : null)
        .put("b", report.sides().ab() ? report.sides().afterSelection() : null)
        .put("alpha", Verdicts.ALPHA)
        .put("minRelativeChange", Verdicts.MIN_RELATIVE_CHANGE)
        .put("worse", report.anyWorse())
        .put("rows", rows)
        .encodePrettily() + "\n";
  }

  private static JsonObject window(Window w) {
    return new JsonObject().put("start", w.start().toString()).put("end", w.end().toString())
        .put("seconds", w.seconds());
  }

  private static Double number(double d) {
    return Double.isNaN(d) || Double.isInfinite(d) ? null : d;
  }
}
