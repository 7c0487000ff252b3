package io.socketiocanary.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the in-process diagnosis for the integration tests and asserts on its report. Not thread-safe. */
final class Diagnoses {
  private final String url;
  private String namespace = "/";
  private String origin;
  private String token;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private Duration idle = Duration.ofSeconds(3);
  private boolean insecure;

  private Diagnoses(String url) {
    this.url = url;
  }

  static Diagnoses of(String url) {
    return new Diagnoses(url);
  }

  Diagnoses namespace(String namespace) {
    this.namespace = namespace;
    return this;
  }

  Diagnoses origin(String origin) {
    this.origin = origin;
    return this;
  }

  Diagnoses token(String token) {
    this.token = token;
    return this;
  }

  Diagnoses header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  Diagnoses idle(Duration idle) {
    this.idle = idle;
    return this;
  }

  Diagnoses insecure() {
    this.insecure = true;
    return this;
  }

  /** Runs the diagnosis on {@code vertx}, prints the text report and returns the report. */
  Report run(Vertx vertx) throws Exception {
    DiagnoseOptions options = DiagnoseOptions.of(url, "/socket.io", namespace, origin, token, headers, idle, insecure);
    long start = System.nanoTime();
    Report report = Diagnosis.run(vertx, options).toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    System.out.printf("diagnosis took %d ms%n%s", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
        TextReport.render(report));
    return report;
  }

  /** Exactly these checks failed (in this order), every other one passed or was skipped. */
  static void assertFailed(Report report, String... names) {
    assertThat(report.checks().stream().filter(c -> c.status() == Status.FAIL).map(CheckResult::name))
        .as(TextReport.render(report)).containsExactly(names);
  }

  static void assertStatus(Report report, String name, Status status) {
    assertThat(report.check(name).status()).as(TextReport.render(report)).isEqualTo(status);
  }
}
