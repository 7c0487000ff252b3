package io.socketiocanary.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real HAProxy on 127.0.0.1 in http mode in front of one or more backend ports, in the
 * foreground ({@code haproxy -db}) with a minimal config in a temp file; request logs go to
 * stdout (captured in target/it-logs). Owns that one process. Not thread-safe.
 *
 * <p>Non-sticky means plain round robin per request, so the requests of one Engine.IO polling
 * session land on different backends ("Session ID unknown"). Sticky uses {@code balance source}:
 * a cookie would not help, since the Java and Node clients keep no cookies.
 */
public final class HAProxy implements AutoCloseable {

  private final Builder config;
  private final int port;
  private final Path confFile;
  private ManagedProcess process;

  private HAProxy(Builder config) {
    if (config.backends.isEmpty()) {
      throw new IllegalArgumentException("haproxy needs at least one backend port");
    }
    this.config = config;
    this.port = config.port != 0 ? config.port : FreePorts.pick();
    try {
      this.confFile = Files.createTempFile("canary-haproxy-", ".cfg");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp file for haproxy", e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Writes the config and starts HAProxy; returns once it accepts connections. */
  public HAProxy start() {
    Path haproxy = Tools.require("haproxy");
    try {
      Files.writeString(confFile, conf());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + confFile, e);
    }
    process = ManagedProcess.start("haproxy-" + port, List.of(haproxy.toString(), "-db", "-f", confFile.toString()),
        Map.of(), null);
    process.awaitPort(port, Duration.ofSeconds(10));
    return this;
  }

  /** SIGTERM (HAProxy's hard stop); returns the exit code. */
  public int stop() {
    return process == null ? 0 : process.stop(Duration.ofSeconds(5));
  }

  @Override
  public void close() {
    stop();
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public ManagedProcess process() {
    return process;
  }

  String conf() {
    StringBuilder servers = new StringBuilder();
    for (int i = 0; i < config.backends.size(); i++) {
      servers.append("  server s").append(i + 1).append(" 127.0.0.1:").append(config.backends.get(i)).append('\n');
    }
    return """
        global
          log stdout format raw local0 info
        defaults
          mode http
          log global
          option httplog
          option http-keep-alive
          timeout connect 2s
          timeout client %2$dms
          timeout server %3$dms
          timeout tunnel %4$dms
        frontend canary
          bind 127.0.0.1:%1$d
          default_backend socketio
        backend socketio
          balance %5$s
        %6$s""".formatted(port, config.clientTimeout.toMillis(), config.serverTimeout.toMillis(),
        config.tunnelTimeout.toMillis(), config.sticky ? "source" : "roundrobin", servers);
  }

  /** Proxy settings; the timeouts default to 60 s, tunnel to 1 h. */
  public static final class Builder {
    private int port;
    private final List<Integer> backends = new ArrayList<>();
    private Duration tunnelTimeout = Duration.ofHours(1);
    private Duration serverTimeout = Duration.ofSeconds(60);
    private Duration clientTimeout = Duration.ofSeconds(60);
    private boolean sticky;

    private Builder() {}

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder backend(int... ports) {
      for (int p : ports) {
        backends.add(p);
      }
      return this;
    }

    /** Idle limit of an upgraded (WebSocket) connection. */
    public Builder tunnelTimeout(Duration tunnelTimeout) {
      this.tunnelTimeout = tunnelTimeout;
      return this;
    }

    /** How long a backend may take to answer, for example a long poll. */
    public Builder serverTimeout(Duration serverTimeout) {
      this.serverTimeout = serverTimeout;
      return this;
    }

    public Builder clientTimeout(Duration clientTimeout) {
      this.clientTimeout = clientTimeout;
      return this;
    }

    /** true: every request from 127.0.0.1 goes to the same backend; false: round robin. */
    public Builder sticky(boolean sticky) {
      this.sticky = sticky;
      return this;
    }

    public HAProxy build() {
      return new HAProxy(this);
    }

    public HAProxy start() {
      return build().start();
    }
  }
}
