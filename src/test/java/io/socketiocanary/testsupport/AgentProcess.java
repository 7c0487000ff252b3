package io.socketiocanary.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged agent ({@code java -jar <canary.jar> run --config <file>}) as a real JVM process,
 * started with the same java as the test JVM. Owns that process (via {@link ManagedProcess}) and
 * the temp config file. Not thread-safe: one test drives it.
 */
public final class AgentProcess implements AutoCloseable {

  /** An HTTP answer from the agent. */
  public record Response(int status, String body) {}

  private static final HttpClient HTTP = HttpClient.newBuilder()
      // HTTP/2 would send "Upgrade: h2c", which engine.io refuses with "Invalid Upgrade header".
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  private final int httpPort;
  private final Path configFile;
  private final ManagedProcess process;

  private AgentProcess(Builder b) {
    if (b.httpPort == 0) {
      throw new IllegalArgumentException("httpPort must be set (pick it and put it in the config too)");
    }
    this.httpPort = b.httpPort;
    Path jar = jar();
    try {
      this.configFile = Files.createTempFile("canary-agent-", ".conf");
      Files.writeString(configFile, b.config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the agent config", e);
    }
    List<String> command = new ArrayList<>();
    if (b.nameserver != null) {
      command.addAll(withOwnResolvConf(b.nameserver, configFile));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(b.jvmFlags);
    command.addAll(List.of("-jar", jar.toString(), "run", "--config", configFile.toString()));
    this.process = ManagedProcess.start(b.name + "-" + httpPort, command, b.env, null);
  }

  /**
   * The command prefix that runs the agent in a mount namespace of its own whose
   * /etc/resolv.conf names only {@code nameserver}: the test decides what DNS answers, and no
   * query leaves loopback. unshare execs the command, so the pid is the agent's; root only.
   */
  private static List<String> withOwnResolvConf(String nameserver, Path besides) {
    Path resolvConf = besides.resolveSibling(besides.getFileName() + ".resolv.conf");
    try {
      Files.writeString(resolvConf, "nameserver " + nameserver + "\noptions timeout:30 attempts:1\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + resolvConf, e);
    }
    return List.of("unshare", "--mount", "--", "sh", "-c", "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"",
        resolvConf.toString());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The shaded jar from the system property {@code canary.jar} (set by failsafe). */
  public static Path jar() {
    String property = System.getProperty("canary.jar");
    if (property == null) {
      throw new IllegalStateException("system property canary.jar is not set; run the test with mvn verify");
    }
    Path jar = Path.of(property);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("agent jar " + jar + " does not exist; run mvn package first");
    }
    return jar;
  }

  /** Polls {@code GET /ready} until it answers 200; fails with the agent's output otherwise. */
  public AgentProcess awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Response last = null;
    String error = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("agent exited before it was ready" + process.describeTail());
      }
      try {
        last = get("/ready");
        if (last.status() == 200) {
          return this;
        }
      } catch (UncheckedIOException e) {
        error = e.getCause().toString();
      }
      ManagedProcess.sleep(Duration.ofMillis(100));
    }
    throw new AssertionError("agent not ready within " + timeout + "; last /ready: "
        + (last != null ? last.status() + " " + last.body() : error) + process.describeTail());
  }

  /** {@code GET /metrics}, parsed. */
  public MetricsSnapshot scrape() {
    Response response = get("/metrics");
    if (response.status() != 200) {
      throw new AssertionError("/metrics returned " + response.status() + ": " + response.body());
    }
    return MetricsSnapshot.parse(response.body());
  }

  /** {@code GET path} on the agent's HTTP port. */
  public Response get(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .timeout(Duration.ofSeconds(5)).GET().build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " on the agent failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Replaces the config file's content (the agent reloads it when it changes, or on SIGHUP). */
  public void rewriteConfig(String hocon) {
    try {
      Path temp = Files.createTempFile(configFile.getParent(), "canary-agent-", ".tmp");
      Files.writeString(temp, hocon);
      // Atomically, as editors and Kubernetes ConfigMap updates do: never a half-written file.
      Files.move(temp, configFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite the agent config", e);
    }
  }

  /** SIGTERM, 10 s of grace, then SIGKILL; returns the exit code. */
  public int stop() {
    int code = process.stop(Duration.ofSeconds(10));
    try {
      Files.deleteIfExists(configFile);
    } catch (IOException ignored) {
      // A leftover temp file is harmless.
    }
    return code;
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Whether the agent's self-watch logged a stall of its own so far: a loop the canaries depend on,
   * or the whole process, stood still ≥ 1 s (a starved machine).
   */
  public boolean loggedOwnStall() {
    try {
      // SelfWatch logs every stall that excuses targets once it ends, with excuses_targets=true.
      return Files.readAllLines(process.logFile()).stream()
          .anyMatch(line -> line.contains("excuses_targets=true") || line.contains("process stood still"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the agent's log " + process.logFile(), e);
    }
  }

  public int httpPort() {
    return httpPort;
  }

  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public ManagedProcess process() {
    return process;
  }

  /** How to start the agent. */
  public static final class Builder {
    private String name = "agent";
    private String config = "";
    private int httpPort;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> jvmFlags = new ArrayList<>();
    private String nameserver;

    private Builder() {}

    /** Names the log file in target/it-logs. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The HOCON config text; it must set the same HTTP port as {@link #httpPort(int)}. */
    public Builder config(String hocon) {
      this.config = hocon;
      return this;
    }

    public Builder httpPort(int httpPort) {
      this.httpPort = httpPort;
      return this;
    }

    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /**
     * Runs the agent with an /etc/resolv.conf of its own naming only {@code nameserver} (a
     * loopback address): for a DNS server the test controls. Needs root (a mount namespace).
     */
    public Builder nameserver(String nameserver) {
      this.nameserver = nameserver;
      return this;
    }

    /** A flag before -jar, for example "-Xmx128m" or "-Dlogback.debug=true". */
    public Builder jvmFlag(String flag) {
      jvmFlags.add(flag);
      return this;
    }

    public AgentProcess start() {
      return new AgentProcess(this);
    }
  }
}
