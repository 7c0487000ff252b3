package io.socketiocanary.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus ({@code prometheus} from PATH) on 127.0.0.1 with no scrape targets, serving
 * whatever TSDB blocks are in its data directory: {@link #importOpenMetrics} backfills them with
 * {@code promtool} before the start. Owns the one process; stopped by pid. Not thread-safe.
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
    Path binary = Tools.require("prometheus");
    int port = FreePorts.pick();
    Path config = workDir.resolve("prometheus.yml");
    try {
      Files.writeString(config, "global:\n  scrape_interval: 15s\nscrape_configs: []\n");
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
