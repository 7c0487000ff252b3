package io.socketiocanary.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderersTest {
  static final Report REPORT = new Report(ComparisonTest.BEFORE, ComparisonTest.AFTER,
      List.of("marker \"nginx\" at 2025-05-01T11:00:00Z"), List.of(
          new Row("chat", "websocket", "availability", "", "%", 100, 99.5, 0.0123, Verdict.WORSE, "360 vs 360 canary-minutes"),
          new Row("chat", "websocket", "disconnects/h", "transport_close", "/h", 10, 2.5, 0.0004, Verdict.BETTER, "k=10 vs 3"),
          new Row("chat", "polling", "reconnect p95", "", "s", 1.25, Double.NaN, Double.NaN, Verdict.TOO_FEW_SAMPLES,
              "n=3 vs 0, need 20 each")));

  @Test
  void theTableAlignsEveryColumnAndEndsWithASummaryAndTheMethods() {
    String table = TableRenderer.render(REPORT);
    List<String> lines = table.lines().toList();
    assertThat(lines.get(0)).isEqualTo("before 2025-05-01T10:00:00Z..2025-05-01T11:00:00Z (1h)");
    assertThat(lines.get(2)).isEqualTo("note: marker \"nginx\" at 2025-05-01T11:00:00Z");
    List<String> body = lines.subList(4, 8);
    int verdictColumn = body.get(0).indexOf("VERDICT");
    assertThat(body.get(1).substring(verdictColumn)).startsWith("worse ");
    assertThat(body.get(2).substring(verdictColumn)).startsWith("better ");
    assertThat(body.get(3).substring(verdictColumn)).startsWith("too few samples ");
    assertThat(body.get(1)).contains("100.00 %", "99.50 %", "-0.50 pp", "0.012");
    assertThat(body.get(2)).contains("disconnects/h transport_close", "-75 %", "<0.001");
    assertThat(body.get(3)).contains("1.250 s", "   - ");
    assertThat(table).contains("summary: 1 better, 1 worse, 1 too few samples")
        .contains("p < 0.05 and a change of at least 10 %");
  }

  @Test
  void markdownIsATableWithWorseInBold() {
    String md = MarkdownRenderer.render(REPORT);
    assertThat(md).contains("| target | transport | figure | before | after | change | verdict | p | note |")
        .contains("| chat | websocket | availability | 100.00 % | 99.50 % | -0.50 pp | **worse** | 0.012 "
            + "| 360 vs 360 canary-minutes |")
        .contains("> marker \"nginx\" at 2025-05-01T11:00:00Z")
        .contains("p &lt; 0.05");
  }

  @Test
  void jsonHasRawNumbersNullsForNoneAndTheGateAnswer() {
    JsonObject json = new JsonObject(JsonRenderer.render(REPORT));
    assertThat(json.getBoolean("worse")).isTrue();
    assertThat(json.getDouble("alpha")).isEqualTo(0.05);
    assertThat(json.getJsonObject("before").getDouble("seconds")).isEqualTo(3600);
    JsonObject rate = json.getJsonArray("rows").getJsonObject(1);
    assertThat(rate.getString("reason")).isEqualTo("transport_close");
    assertThat(rate.getString("verdict")).isEqualTo("better");
    assertThat(rate.getDouble("pValue")).isEqualTo(0.0004);
    JsonObject sparse = json.getJsonArray("rows").getJsonObject(2);
    assertThat(sparse.getValue("after")).isNull();
    assertThat(sparse.getValue("reason")).isNull();
    assertThat(sparse.getString("verdict")).isEqualTo("too few samples");
  }
}
