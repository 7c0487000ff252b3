package io.socketiocanary.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportRenderingTest {
  private static final String TOKEN = "s3cret-token";

  private static Report report() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("status", 400);
    details.put("body", "{\"code\":3,\"message\":\"Bad request\"}");
    Map<String, Object> echo = new LinkedHashMap<>();
    echo.put("message", "invalid token " + TOKEN);
    echo.put("seen", List.of("auth " + TOKEN));
    return new Report("http://h:1/socket.io/ namespace /", List.of(
        CheckResult.pass("dns", "h resolves to 127.0.0.1", Map.of("addresses", List.of("127.0.0.1"))),
        CheckResult.fail("websocket", "HTTP 400 instead of 101", details, "proxy_set_header Upgrade $http_upgrade;"),
        CheckResult.fail("namespace", "auth rejected: \"invalid token " + TOKEN + "\"", echo, "refresh it"),
        CheckResult.skip("idle", "WebSocket does not connect")));
  }

  @Test
  void theTextReportHasOneLinePerCheckAndDetailsAndFixForFailures() {
    String text = TextReport.render(report());
    assertThat(text).startsWith("socketio-canary diagnose http://h:1/socket.io/ namespace /\n")
        .contains("PASS  dns        h resolves to 127.0.0.1\n")
        .contains("FAIL  websocket  HTTP 400 instead of 101\n")
        .contains("                 status: 400\n")
        .contains("      fix: proxy_set_header Upgrade $http_upgrade;\n")
        .contains("SKIP  idle       WebSocket does not connect\n")
        .endsWith("result: FAIL (1 passed, 0 warnings, 2 failed, 1 skipped)\n");
  }

  @Test
  void theJsonReportIsOneDocumentWithTargetChecksAndResult() {
    JsonObject json = new JsonObject(JsonReport.render(report()));
    assertThat(json.fieldNames()).containsExactly("target", "checks", "result");
    assertThat(json.getString("result")).isEqualTo("fail");
    JsonObject websocket = json.getJsonArray("checks").getJsonObject(1);
    assertThat(websocket.fieldNames()).containsExactly("name", "status", "summary", "details", "fix");
    assertThat(websocket.getString("status")).isEqualTo("fail");
    assertThat(websocket.getJsonObject("details").getInteger("status")).isEqualTo(400);
    assertThat(json.getJsonArray("checks").getJsonObject(0).getValue("fix")).isNull();
  }

  @Test
  void redactionReachesSummariesFixesAndNestedDetails() {
    Report clean = report().redacted(s -> s.replace(TOKEN, "[redacted]"));
    String all = TextReport.render(clean) + JsonReport.render(clean);
    assertThat(all).doesNotContain(TOKEN).contains("invalid token [redacted]").contains("auth [redacted]");
  }

  @Test
  void warningsAndSkipsPassAFailFails() {
    Report ok = new Report("t", List.of(CheckResult.warn("tls", "expires soon", Map.of(), "renew"),
        CheckResult.skip("cors", "no --origin given")));
    assertThat(ok.exitCode()).isZero();
    assertThat(ok.result()).isEqualTo("pass");
    assertThat(report().exitCode()).isEqualTo(1);
  }
}
