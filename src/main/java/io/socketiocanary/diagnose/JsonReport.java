package io.socketiocanary.diagnose;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a report as one JSON document for scripts:
 * {@code {"target", "checks": [{"name", "status", "summary", "details", "fix"}], "result"}}.
 */
public final class JsonReport {
  private JsonReport() {}

  public static String render(Report report) {
    JsonArray checks = new JsonArray();
    for (CheckResult check : report.checks()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("name", check.name());
      json.put("status", check.status().label());
      json.put("summary", check.summary());
      json.put("details", new JsonObject(new LinkedHashMap<>(check.details())));
      json.put("fix", check.fix());
      checks.add(new JsonObject(json));
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("target", report.target());
    root.put("checks", checks);
    root.put("result", report.result());
    return new JsonObject(root).encodePrettily();
  }
}
