package io.socketiocanary.grafana;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every PromQL expression of the Grafana dashboards, with the dashboard variables replaced by
 * values a test can send to Prometheus as is: each {@code targets[].expr} of every panel (rows'
 * nested panels included) and each annotation {@code expr}. A variable the substitutions do not
 * know, whether declared in {@code templating.list} or only used, is an error, so a new variable
 * cannot make a query silently unrunnable. Stateless and thread-safe.
 */
final class DashboardQueries {

  /** One expression: where it comes from, and the text to send. */
  record Query(String dashboard, String panel, String refId, boolean annotation, String expr) {
    @Override
    public String toString() {
      return dashboard + " / " + panel + (refId == null ? "" : " / " + refId) + ": " + expr;
    }
  }

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)");

  private DashboardQueries() {}

  /** Every expression of every {@code *.json} in {@code dir}, in file and panel order. */
  static List<Query> load(Path dir, Map<String, String> substitutions) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Query> queries = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        queries.addAll(load(file.getFileName().toString(), new JsonObject(Files.readString(file)), substitutions));
      }
      return List.copyOf(queries);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboards in " + dir, e);
    }
  }

  private static List<Query> load(String name, JsonObject dashboard, Map<String, String> substitutions) {
    JsonArray variables = dashboard.getJsonObject("templating", new JsonObject()).getJsonArray("list", new JsonArray());
    for (int i = 0; i < variables.size(); i++) {
      String variable = variables.getJsonObject(i).getString("name");
      if (!substitutions.containsKey(variable)) {
        throw new AssertionError(name + " declares variable $" + variable + ", which the test does not substitute");
      }
    }
    List<Query> queries = new ArrayList<>();
    JsonArray annotations = dashboard.getJsonObject("annotations", new JsonObject()).getJsonArray("list", new JsonArray());
    for (int i = 0; i < annotations.size(); i++) {
      JsonObject annotation = annotations.getJsonObject(i);
      if (annotation.getString("expr") != null) {
        queries.add(new Query(name, "annotation " + annotation.getString("name"), null, true,
            substitute(name, annotation.getString("expr"), substitutions)));
      }
    }
    collectPanels(name, dashboard.getJsonArray("panels", new JsonArray()), substitutions, queries);
    return queries;
  }

  private static void collectPanels(String name, JsonArray panels, Map<String, String> substitutions, List<Query> out) {
    for (int i = 0; i < panels.size(); i++) {
      JsonObject panel = panels.getJsonObject(i);
      JsonArray targets = panel.getJsonArray("targets", new JsonArray());
      for (int t = 0; t < targets.size(); t++) {
        JsonObject target = targets.getJsonObject(t);
        if (target.getString("expr") != null) {
          out.add(new Query(name, panel.getString("title"), target.getString("refId"), false,
              substitute(name, target.getString("expr"), substitutions)));
        }
      }
      // A collapsed row keeps its panels inside it.
      collectPanels(name, panel.getJsonArray("panels", new JsonArray()), substitutions, out);
    }
  }

  private static String substitute(String dashboard, String expr, Map<String, String> substitutions) {
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String variable = m.group(1) != null ? m.group(1) : m.group(2);
      String value = substitutions.get(variable);
      if (value == null) {
        throw new AssertionError(dashboard + " uses $" + variable + ", which the test does not substitute: " + expr);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
