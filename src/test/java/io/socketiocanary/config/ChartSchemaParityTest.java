package io.socketiocanary.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart's values.schema.json and the agent's own config rules ({@link Rules},
 * {@link SectionRules}) accept the same target keys, in both directions: a key the agent learns
 * and the chart does not (or the other way round) fails here, with the key named. The few
 * deliberate differences are listed below with their reason, so adding one is a visible decision.
 */
class ChartSchemaParityTest {
  private static final Path SCHEMA = Path.of("helm", "socketio-canary", "values.schema.json");

  /** Chart-only target keys: Kubernetes Secret references standing in for secret values. */
  private static final Set<String> CHART_ONLY_TARGET_KEYS = Set.of("tokenSecret", "headerSecrets");
  /** `auth.token` is a secret, so the chart has no place for it: it comes from tokenSecret. */
  private static final Map<String, Set<String>> AGENT_ONLY_SECTION_KEYS = Map.of("auth", Set.of("token"));
  /**
   * The agent lets target-defaults name any target key; a default `name` or `url` makes no sense
   * in a chart (every target must set both, the schema requires them), so the chart omits them.
   */
  private static final Set<String> AGENT_ONLY_DEFAULT_KEYS = Set.of("name", "url");

  private static JsonObject schema;

  @BeforeAll
  static void load() throws Exception {
    schema = new JsonObject(Files.readString(SCHEMA));
  }

  @Test
  void targetsAcceptExactlyTheAgentsTargetKeysPlusTheSecretReferences() {
    JsonObject target = resolve(schema.getJsonObject("properties").getJsonObject("targets").getJsonObject("items"));
    assertThat(target.getBoolean("additionalProperties")).isFalse();
    assertSameKeys("targets[]", keys(target), Rules.TARGET_KEYS, CHART_ONLY_TARGET_KEYS, Set.of());
    assertThat(strings(target.getJsonArray("required"))).containsExactlyInAnyOrder("name", "url");
    assertSections("targets[]", target);
  }

  @Test
  void targetDefaultsAcceptExactlyTheAgentsDefaultKeys() {
    JsonObject defaults = resolve(schema.getJsonObject("properties").getJsonObject("targetDefaults"));
    assertThat(defaults.getBoolean("additionalProperties")).isFalse();
    assertSameKeys("targetDefaults", keys(defaults), Rules.TARGET_KEYS, Set.of(), AGENT_ONLY_DEFAULT_KEYS);
    assertSections("targetDefaults", defaults);
  }

  @Test
  void transportsAndClientLimitsAreTheAgents() {
    JsonObject transports = schema.getJsonObject("definitions").getJsonObject("transports");
    assertThat(strings(transports.getJsonObject("items").getJsonArray("enum")))
        .containsExactlyInAnyOrderElementsOf(List.of(TransportMode.values()).stream().map(TransportMode::label).toList());
    for (String section : List.of("targets", "targetDefaults")) {
      JsonObject properties = section.equals("targets")
          ? schema.getJsonObject("properties").getJsonObject("targets").getJsonObject("items").getJsonObject("properties")
          : schema.getJsonObject("properties").getJsonObject("targetDefaults").getJsonObject("properties");
      JsonObject clients = properties.getJsonObject("clients");
      assertThat(clients.getInteger("minimum")).as(section).isEqualTo(1);
      assertThat(clients.getInteger("maximum")).as(section).isEqualTo(Rules.MAX_CLIENTS);
    }
  }

  @Test
  void metricDetailLevelsAreTheAgents() {
    JsonObject metrics = schema.getJsonObject("properties").getJsonObject("metrics");
    assertThat(metrics.getBoolean("additionalProperties")).isFalse();
    assertThat(keys(metrics)).containsExactlyInAnyOrderElementsOf(Rules.METRICS_KEYS);
    assertThat(strings(metrics.getJsonObject("properties").getJsonObject("detail").getJsonArray("enum")))
        .containsExactlyInAnyOrderElementsOf(MetricDetail.LABELS);
  }

  /** Every section with fixed keys, with the agent's list for it; `headers` is free-form on both sides. */
  private static void assertSections(String where, JsonObject owner) {
    JsonObject properties = owner.getJsonObject("properties");
    for (Map.Entry<String, List<String>> section : SectionRules.SECTION_KEYS) {
      String name = section.getKey();
      assertThat(properties.containsKey(name)).as("%s.%s in the chart schema", where, name).isTrue();
      JsonObject schemaSection = resolve(properties.getJsonObject(name));
      assertThat(schemaSection.getBoolean("additionalProperties"))
          .as("%s.%s rejects unknown keys like the agent", where, name).isFalse();
      assertSameKeys(where + "." + name, keys(schemaSection), section.getValue(), Set.of(),
          AGENT_ONLY_SECTION_KEYS.getOrDefault(name, Set.of()));
    }
    JsonObject headers = resolve(properties.getJsonObject("headers"));
    assertThat(headers.getJsonObject("additionalProperties").getString("type")).isEqualTo("string");
  }

  private static void assertSameKeys(String where, Set<String> chart, List<String> agent, Set<String> chartOnly,
      Set<String> agentOnly) {
    Set<String> missingInChart = new TreeSet<>(agent);
    missingInChart.removeAll(chart);
    missingInChart.removeAll(agentOnly);
    Set<String> unknownToAgent = new TreeSet<>(chart);
    unknownToAgent.removeAll(agent);
    unknownToAgent.removeAll(chartOnly);
    List<String> problems = new ArrayList<>();
    missingInChart.forEach(k -> problems.add(where + "." + k + ": accepted by the agent, rejected by the chart schema"));
    unknownToAgent.forEach(k -> problems.add(where + "." + k + ": accepted by the chart schema, rejected by the agent"));
    // The listed exceptions must still be real, or the list goes stale.
    agentOnly.stream().filter(k -> !agent.contains(k) || chart.contains(k))
        .forEach(k -> problems.add(where + "." + k + ": listed as agent-only but it is not"));
    chartOnly.stream().filter(k -> agent.contains(k) || !chart.contains(k))
        .forEach(k -> problems.add(where + "." + k + ": listed as chart-only but it is not"));
    assertThat(problems).as("chart schema %s vs config rules", SCHEMA).isEmpty();
  }

  private static List<String> strings(io.vertx.core.json.JsonArray array) {
    return array.stream().map(String::valueOf).toList();
  }

  private static Set<String> keys(JsonObject object) {
    return object.getJsonObject("properties").fieldNames().stream().collect(Collectors.toCollection(TreeSet::new));
  }

  /** Follows a local {@code $ref} such as {@code #/definitions/probe}. */
  private static JsonObject resolve(JsonObject node) {
    String ref = node.getString("$ref");
    if (ref == null) {
      return node;
    }
    JsonObject current = schema;
    for (String step : ref.substring(2).split("/")) {
      current = current.getJsonObject(step);
    }
    return resolve(current);
  }
}
