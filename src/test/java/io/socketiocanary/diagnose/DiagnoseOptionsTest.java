package io.socketiocanary.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiagnoseOptionsTest {
  private static DiagnoseOptions of(String url) {
    return DiagnoseOptions.of(url, "/socket.io", "/", null, null, Map.of(), null, false);
  }

  @Test
  void aUrlGivesSchemeHostPortAndTheEngineIoEndpoint() {
    DiagnoseOptions options = of("https://chat.example.com/");
    assertThat(options.secure()).isTrue();
    assertThat(options.host()).isEqualTo("chat.example.com");
    assertThat(options.port()).isEqualTo(443);
    assertThat(options.endpoint("EIO=4&transport=polling")).isEqualTo("/socket.io/?EIO=4&transport=polling");
    assertThat(of("http://127.0.0.1:3000").port()).isEqualTo(3000);
  }

  @Test
  void badUrlsAreRefusedWithWhatIsWrong() {
    assertThatThrownBy(() -> of("ftp://x")).hasMessageContaining("scheme must be http or https");
    assertThatThrownBy(() -> of("http://x/socket.io")).hasMessageContaining("use --path");
    assertThatThrownBy(() -> of("http://user:pw@x")).hasMessageContaining("scheme://host[:port] only");
    assertThatThrownBy(() -> of("http:///nohost")).hasMessageContaining("no host");
  }

  @Test
  void idleDurationsAreMillisecondsSecondsOrMinutes() {
    assertThat(DiagnoseOptions.parseIdle("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DiagnoseOptions.parseIdle("60s")).isEqualTo(Duration.ofSeconds(60));
    assertThat(DiagnoseOptions.parseIdle("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> DiagnoseOptions.parseIdle("soon")).hasMessageContaining("expected a duration");
    assertThatThrownBy(() -> DiagnoseOptions.parseIdle("0s")).hasMessageContaining("positive");
  }

  @Test
  void secretsAreListedForRedactionAndNeverShownByToString() {
    DiagnoseOptions options = DiagnoseOptions.of("http://x", "/socket.io", "/", null, "tok-123",
        Map.of("Authorization", "Bearer abc"), null, false);
    assertThat(options.secrets()).containsExactlyInAnyOrder("tok-123", "Bearer abc");
    assertThat(options.toString()).doesNotContain("tok-123").doesNotContain("Bearer abc").contains("Authorization");
  }

  @Test
  void aBrowserAcceptsTheOriginItselfOrAStarWithoutCredentials() {
    assertThat(CorsCheck.allowOriginProblem("https://a.example", null, "https://a.example")).isNull();
    assertThat(CorsCheck.allowOriginProblem("*", null, "https://a.example")).isNull();
    assertThat(CorsCheck.allowOriginProblem("*", "true", "https://a.example")).contains("not allowed with");
    assertThat(CorsCheck.allowOriginProblem(null, null, "https://a.example")).contains("no Access-Control-Allow-Origin");
    assertThat(CorsCheck.allowOriginProblem("https://b.example", null, "https://a.example"))
        .isEqualTo("Access-Control-Allow-Origin is https://b.example, not https://a.example");
  }
}
