package io.socketiocanary.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A real nginx reverse proxy on 127.0.0.1 in front of one or more upstream ports, running in the
 * foreground ({@code daemon off}) from its own temp directory (conf, pid, logs, temp paths), so
 * it touches nothing under /etc or /var. Owns the master process; the workers die with it.
 * The access log ({@code access.log} in {@link #dir()}, and stdout) has
 * {@code $status $request_time $upstream_status}, then when the request ended ({@code $msec}),
 * the worker's pid and the connection's serial number: which worker served a request, and on
 * which connection. Not thread-safe: one test drives it.
 */
public final class Nginx implements AutoCloseable {

  private static final Pattern RECONFIGURING = Pattern.compile("SIGHUP\\) received.*reconfiguring");
  private static final Pattern WORKER_STARTED = Pattern.compile("start worker process \\d+");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Builder config;
  private final int port;
  private final Path dir;
  private ManagedProcess process;

  private Nginx(Builder config) {
    if (config.upstreams.isEmpty()) {
      throw new IllegalArgumentException("nginx needs at least one upstream port");
    }
    this.config = config;
    this.port = config.port != 0 ? config.port : FreePorts.pick();
    try {
      this.dir = Files.createTempDirectory("canary-nginx-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp dir for nginx", e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Writes the conf and starts nginx; returns once it accepts connections. */
  public Nginx start() {
    Path nginx = Tools.require("nginx");
    writeConf();
    process = ManagedProcess.start("nginx-" + port, List.of(nginx.toString(), "-e", "stderr",
        "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;"), Map.of(), dir);
    process.awaitPort(port, START_TIMEOUT);
    // The master listens before it forks its worker: a reload right after the port opened found no
    // worker to wait for, and the old worker, forked a moment later, served the old conf (in CI).
    process.awaitLine(WORKER_STARTED, START_TIMEOUT);
    return this;
  }

  /**
   * Applies {@code change} to the settings, rewrites the conf and sends SIGHUP to the master;
   * returns when a new worker started with the new conf. Upstream ports and the listen port
   * stay as they are unless {@code change} sets them.
   */
  public Nginx reload(Consumer<Builder> change) {
    change.accept(config);
    writeConf();
    List<Long> oldWorkers = process.children();
    if (oldWorkers.isEmpty()) {
      throw new IllegalStateException("no nginx worker to replace before the reload" + process.describeTail());
    }
    Set<String> listeners = ProcSockets.listening(port);
    if (listeners.isEmpty()) {
      // Else every old worker would pass as closed at once, and the wait would silently be gone.
      throw new IllegalStateException("no socket listens on 127.0.0.1:" + port + " before the reload" + process.describeTail());
    }
    int from = process.lineCount();
    process.signal("HUP");
    // Only a worker started after the master logged the reload serves the new conf.
    int reloadLine = process.awaitMatchingLine(RECONFIGURING, START_TIMEOUT, from).number();
    process.awaitLine(WORKER_STARTED, START_TIMEOUT, reloadLine + 1);
    for (long worker : oldWorkers) {
      awaitWorkerStopsAccepting(worker, listeners);
    }
    return this;
  }

  /**
   * Waits until an old worker no longer holds the listening socket. It shares the socket's accept
   * queue with the new worker until then, and would serve a new connection with the old conf; it
   * logs "gracefully shutting down" before it closes its listeners, so the log line alone left a
   * window (a test's handshake got the old upstream's answer once, under CI load).
   */
  private void awaitWorkerStopsAccepting(long worker, Set<String> listeners) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      Set<String> held;
      try {
        held = ProcSockets.inodesOf(worker);
      } catch (UncheckedIOException e) {
        if (ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false)) {
          throw e;
        }
        return; // Exited, and its descriptors with it.
      }
      if (held.stream().noneMatch(listeners::contains)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("old nginx worker " + worker + " still holds the listening socket " + START_TIMEOUT
            + " after the reload" + process.describeTail());
      }
      ManagedProcess.sleep(Duration.ofMillis(10));
    }
  }

  /** Stops nginx (SIGTERM: fast shutdown, connections cut) and starts it again on the same port. */
  public Nginx stopAndStart() {
    stop();
    return start();
  }

  /** SIGTERM to the master; returns its exit code. */
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

  /** The temp directory with nginx.conf, access.log and error.log. */
  public Path dir() {
    return dir;
  }

  public ManagedProcess process() {
    return process;
  }

  /**
   * The access log so far, one request per line:
   * {@code "request" status request_time upstream_status msec worker_pid connection}.
   */
  public List<String> accessLog() {
    try {
      Path log = dir.resolve("access.log");
      return Files.exists(log) ? Files.readAllLines(log) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The access log so far, parsed. */
  public List<LoggedRequest> requests() {
    return accessLog().stream().map(LoggedRequest::parse).toList();
  }

  /**
   * One line of the access log.
   *
   * @param status 0 when nginx closed the connection without answering (an old worker at
   *     worker_shutdown_timeout), 499 when the client went away first
   * @param endEpochSeconds when the request ended, seconds since the epoch with millisecond precision
   */
  public record LoggedRequest(String method, String uri, int status, double requestTimeSeconds,
      double endEpochSeconds, long workerPid) {
    // $upstream_status lists one status per upstream tried ("502, 200"), hence the lazy middle.
    private static final Pattern LINE = Pattern.compile(
        "^\\S+ \"([^\"]*)\" (\\d{3}) ([\\d.]+) .+? ([\\d.]+) (\\d+) \\d+$");

    static LoggedRequest parse(String line) {
      var m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not an access log line of this format: " + line);
      }
      String[] request = m.group(1).split(" ", 3);
      return new LoggedRequest(request[0], request.length > 1 ? request[1] : "", Integer.parseInt(m.group(2)),
          Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)), Long.parseLong(m.group(5)));
    }
  }

  String conf() {
    String seconds = config.readTimeout.toMillis() + "ms";
    StringBuilder upstreams = new StringBuilder();
    for (int upstream : config.upstreams) {
      upstreams.append("    server 127.0.0.1:").append(upstream).append(";\n");
    }
    String upgrade = config.upgradeHeaders
        ? """
              proxy_http_version 1.1;
              proxy_set_header Upgrade $http_upgrade;
              proxy_set_header Connection $connection_upgrade;
        """
        : "";
    // As root the workers would switch to "nobody" and could not write the temp dir.
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    String shutdown = config.workerShutdownTimeout == null ? ""
        : "worker_shutdown_timeout " + config.workerShutdownTimeout.toMillis() + "ms;\n";
    return user + shutdown + """
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log info;
        error_log stderr notice;
        events { worker_connections 1024; }
        http {
          log_format canary '$remote_addr "$request" $status $request_time $upstream_status $msec $pid $connection';
          access_log %1$s/access.log canary;
          access_log /dev/stdout canary;
          client_body_temp_path %1$s/client_body_temp;
          proxy_temp_path %1$s/proxy_temp;
          fastcgi_temp_path %1$s/fastcgi_temp;
          uwsgi_temp_path %1$s/uwsgi_temp;
          scgi_temp_path %1$s/scgi_temp;
          map $http_upgrade $connection_upgrade {
            default upgrade;
            ''      close;
          }
          upstream socketio {
        %2$s  }
          server {
            listen 127.0.0.1:%3$d;
            location / {
              proxy_pass http://socketio;
              proxy_buffering off;
              proxy_set_header Host $host;
              proxy_read_timeout %4$s;
              proxy_send_timeout %4$s;
        %5$s    }
          }
        }
        """.formatted(dir, upstreams, port, seconds, upgrade);
  }

  private void writeConf() {
    try {
      Files.writeString(dir.resolve("nginx.conf"), conf());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve("nginx.conf"), e);
    }
  }

  /** Proxy settings; defaults are nginx's (60 s timeouts) with the WebSocket upgrade headers. */
  public static final class Builder {
    private int port;
    private final List<Integer> upstreams = new ArrayList<>();
    private Duration readTimeout = Duration.ofSeconds(60);
    private boolean upgradeHeaders = true;
    private Duration workerShutdownTimeout;

    private Builder() {}

    /** worker_shutdown_timeout: after a reload, old workers close what they still hold (WebSockets) after this. */
    public Builder workerShutdownTimeout(Duration timeout) {
      this.workerShutdownTimeout = timeout;
      return this;
    }

    /** A fixed listen port; by default one is picked. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Adds upstream servers (round robin between them, nginx's default). */
    public Builder upstream(int... ports) {
      for (int p : ports) {
        upstreams.add(p);
      }
      return this;
    }

    /** Replaces the upstream servers (handy in {@link Nginx#reload}). */
    public Builder upstreams(List<Integer> ports) {
      upstreams.clear();
      upstreams.addAll(ports);
      return this;
    }

    /** proxy_read_timeout and proxy_send_timeout: an idle WebSocket or long poll is cut after it. */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = readTimeout;
      return this;
    }

    /** false: no Upgrade/Connection headers upstream, so WebSocket handshakes get 400. */
    public Builder upgradeHeaders(boolean upgradeHeaders) {
      this.upgradeHeaders = upgradeHeaders;
      return this;
    }

    public Nginx build() {
      return new Nginx(this);
    }

    public Nginx start() {
      return build().start();
    }
  }
}
