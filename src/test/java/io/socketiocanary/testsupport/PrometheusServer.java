package io.socketiocanary.testsupport;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus ({@code prometheus} from PATH) on 127.0.0.1. Either with no scrape targets,
 * serving whatever TSDB blocks are in its data directory ({@link #importOpenMetrics} backfills them
 * with {@code promtool} before the start), or with a config of the test's own (scrape jobs,
 * {@code rule_files}); {@link #query}, {@link #queryRange} and {@link #alerts} read its HTTP API.
 * Owns the one process; stopped by pid. Not thread-safe.
 */
public final class PrometheusServer implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  private final int port;
  private final ManagedProcess process;

  private PrometheusServer(int port, ManagedProcess process) {
    this.port = port;
    this.process = process;
  }

  /**
   * Turns an OpenMetrics file into TSDB blocks in {@code dataDir} with
   * {@code promtool tsdb create-blocks-from openmetrics}. Prometheus loads such blocks cleanly only
   * when they end more than about 2 h before now (older than its head block).
   */
  public static void importOpenMetrics(Path file, Path dataDir) {
    Path promtool = Tools.require("promtool");
    try {
      Files.createDirectories(dataDir);
      Process p = new ProcessBuilder(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics", "--quiet",
          file.toString(), dataDir.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("promtool tsdb create-blocks-from openmetrics " + file + " failed:\n" + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Starts Prometheus on a free port over {@code dataDir}; returns once {@code /-/ready} says 200. */
  public static PrometheusServer start(Path dataDir, Path workDir) {
    return start(dataDir, workDir, "global:\n  scrape_interval: 15s\nscrape_configs: []\n");
  }

  /**
   * Like {@link #start(Path, Path)} with {@code configYaml} as its {@code prometheus.yml} (written to
   * {@code workDir}); relative {@code rule_files} resolve against {@code workDir}.
   */
  public static PrometheusServer start(Path dataDir, Path workDir, String configYaml) {
    Path binary = Tools.require("prometheus");
    int port = FreePorts.pick();
    Path config = workDir.resolve("prometheus.yml");
    try {
      Files.writeString(config, configYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ManagedProcess process = ManagedProcess.start("prometheus-" + port, List.of(binary.toString(),
        "--config.file=" + config, "--storage.tsdb.path=" + dataDir, "--web.listen-address=127.0.0.1:" + port,
        "--storage.tsdb.retention.time=60d"), Map.of(), workDir);
    PrometheusServer server = new PrometheusServer(port, process);
    server.awaitReady(Duration.ofSeconds(30));
    return server;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public ManagedProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(10));
  }

  /** {@code /api/v1/query} at {@code time}: the {@code data.result} array (a vector for most queries). */
  public JsonArray query(String promql, Instant time) {
    return api("/api/v1/query?query=" + encode(promql) + "&time=" + seconds(time)).getJsonArray("result");
  }

  /** {@code /api/v1/query} now. */
  public JsonArray query(String promql) {
    return query(promql, Instant.now());
  }

  /** {@code /api/v1/query_range}: the {@code data.result} matrix. */
  public JsonArray queryRange(String promql, Instant start, Instant end, Duration step) {
    return api("/api/v1/query_range?query=" + encode(promql) + "&start=" + seconds(start) + "&end=" + seconds(end)
        + "&step=" + step.toMillis() / 1000.0).getJsonArray("result");
  }

  /** {@code /api/v1/alerts}: every pending and firing alert, with its labels, state and activeAt. */
  public JsonArray alerts() {
    return api("/api/v1/alerts").getJsonArray("alerts");
  }

  /** A GET on the HTTP API; returns {@code data}, or fails with Prometheus's error and the request. */
  public JsonObject api(String pathAndQuery) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).timeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      JsonObject body = new JsonObject(r.body());
      if (r.statusCode() != 200 || !"success".equals(body.getString("status"))) {
        throw new AssertionError("GET " + pathAndQuery + " on Prometheus answered " + r.statusCode() + ": " + r.body());
      }
      return body.getJsonObject("data");
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + pathAndQuery + " on Prometheus failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String encode(String promql) {
    return URLEncoder.encode(promql, StandardCharsets.UTF_8);
  }

  private static String seconds(Instant time) {
    return String.format(Locale.ROOT, "%.3f", time.toEpochMilli() / 1000.0);
  }

  private void awaitReady(Duration timeout) {
    process.awaitPort(port, timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError("Prometheus not ready within " + timeout + process.describeTail());
      }
      ManagedProcess.sleep(Duration.ofMillis(100));
    }
  }
}
