package io.socketiocanary.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real child process started by a test, and only that process: stop and signal address its
 * pid, never a name. Its stdout and stderr (merged) go to {@code target/it-logs/<name>.log} and
 * to an in-memory ring of the last {@value #RING_LINES} lines for assertions and failure messages.
 *
 * <p>Thread-safe: a daemon thread per process reads the output; the methods may be called from
 * any thread. A JVM shutdown hook kills processes a test forgot to close.
 */
public final class ManagedProcess implements AutoCloseable {

  /** One output line with its 0-based number since the process started. */
  public record Line(int number, String text) {}

  static final int RING_LINES = 500;
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Set<ManagedProcess> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(p -> p.process.destroyForcibly()),
        "managed-process-reaper"));
  }

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Thread reader;
  private final ArrayDeque<Line> ring = new ArrayDeque<>();
  private int linesSeen;

  private ManagedProcess(String name, Process process, Path logFile, long offset) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.reader = new Thread(() -> tailLog(offset), "output-" + name);
    this.reader.setDaemon(true);
    this.reader.start();
  }

  /**
   * Starts {@code command} in {@code workDir} with {@code env} added to this JVM's environment.
   * {@code name} names the log file; a later process with the same name appends to it.
   */
  public static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path workDir) {
    Path logFile = logDir().resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".log");
    // The child writes straight into the log file and a thread tails it. Reading a pipe instead
    // loses the last lines of a process that exits right after writing them: the JDK's reaper
    // closes the pipe under a reader thread ("Stream closed"), exactly when shutdown logs matter.
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().putAll(env);
    if (workDir != null) {
      builder.directory(workDir.toFile());
    }
    try {
      Files.createDirectories(logFile.getParent());
      Files.writeString(logFile, "=== " + Instant.now() + " start: " + String.join(" ", command)
          + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      long offset = Files.size(logFile);
      Process process = builder.start();
      ManagedProcess managed = new ManagedProcess(name, process, logFile, offset);
      RUNNING.add(managed);
      return managed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
    }
  }

  /** Where process logs go: the system property {@code canary.itlogs}, else target/it-logs. */
  public static Path logDir() {
    return Path.of(System.getProperty("canary.itlogs", "target/it-logs")).toAbsolutePath();
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Pids of the direct children this process started (for example nginx workers). */
  public List<Long> children() {
    return process.children().map(ProcessHandle::pid).toList();
  }

  public Path logFile() {
    return logFile;
  }

  /** Number of output lines read so far; pass it to {@link #awaitLine(Pattern, Duration, int)}. */
  public synchronized int lineCount() {
    return linesSeen;
  }

  /** The last {@code n} lines still in the ring, oldest first. */
  public synchronized List<String> tail(int n) {
    List<String> out = new ArrayList<>();
    int skip = Math.max(0, ring.size() - n);
    for (Line line : ring) {
      if (skip-- <= 0) {
        out.add(line.text());
      }
    }
    return out;
  }

  /** Every line still in the ring, oldest first. */
  public List<String> lines() {
    return tail(RING_LINES);
  }

  /** The first line (since the start) that matches {@code pattern}; see the three-argument form. */
  public Matcher awaitLine(Pattern pattern, Duration timeout) {
    return awaitLine(pattern, timeout, 0);
  }

  /**
   * Waits for a line numbered {@code fromLine} or later in which {@code pattern} is found and
   * returns the match. Fails with the output tail when the time is up or the process exits.
   */
  public Matcher awaitLine(Pattern pattern, Duration timeout, int fromLine) {
    Matcher matcher = pattern.matcher(awaitMatchingLine(pattern, timeout, fromLine).text());
    matcher.find();
    return matcher;
  }

  /** Like {@link #awaitLine(Pattern, Duration, int)} but returns the line with its number. */
  public synchronized Line awaitMatchingLine(Pattern pattern, Duration timeout, int fromLine) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int checkedUpTo = fromLine;
    while (true) {
      for (Line line : ring) {
        if (line.number() >= checkedUpTo) {
          if (pattern.matcher(line.text()).find()) {
            return line;
          }
        }
      }
      checkedUpTo = Math.max(checkedUpTo, linesSeen);
      long left = deadline - System.nanoTime();
      if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
        String why = left <= 0 ? "within " + timeout : "before it exited with " + exitCodeOrNull();
        throw new AssertionError(name + " printed no line matching /" + pattern + "/ " + why + describeTail());
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + name, e);
      }
    }
  }

  /** Waits until 127.0.0.1:{@code port} accepts a TCP connection; fails if this process exits. */
  public void awaitPort(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new AssertionError(name + " exited with " + exitCodeOrNull() + " before port " + port
              + " was open" + describeTail());
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(name + " did not open port " + port + " within " + timeout + describeTail());
        }
        sleep(Duration.ofMillis(25));
      }
    }
  }

  /** Sends {@code sig} (for example "HUP", "STOP", "CONT") to this process's pid with kill(1). */
  public void signal(String sig) {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " (pid " + pid() + ") is not running; not sending SIG" + sig);
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid())).redirectErrorStream(true).start();
      String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + sig + " " + pid() + " failed: " + out.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kill -" + sig + " " + pid(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted signalling " + name, e);
    }
  }

  /**
   * SIGTERM, then up to {@code grace} for the process to exit, then SIGKILL to it and to the
   * children it started (nginx workers, for example). Returns the exit code (143 or 137 when a
   * signal ended it). Calling it again returns the same code.
   */
  public int stop(Duration grace) {
    try {
      if (process.isAlive()) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy(); // SIGTERM to this pid only
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          appendToLog("=== did not exit within " + grace + " of SIGTERM; SIGKILL");
          process.destroyForcibly();
          children.forEach(ProcessHandle::destroyForcibly);
          process.waitFor();
        }
      }
      reader.join(2000);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted stopping " + name, e);
    } finally {
      RUNNING.remove(this);
    }
  }

  /** The exit code, waiting at most {@code timeout} for the process to end on its own. */
  public Optional<Integer> awaitExit(Duration timeout) {
    try {
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        reader.join(2000);
        RUNNING.remove(this);
        return Optional.of(process.exitValue());
      }
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** {@link #stop(Duration)} with 5 s of grace. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }

  /** The last 40 output lines, indented, for failure messages. */
  public String describeTail() {
    return "\n--- last output of " + name + " (pid " + pid() + ", full log " + logFile + ") ---\n  "
        + String.join("\n  ", tail(40));
  }

  @Override
  public String toString() {
    return name + "(pid " + pid() + (process.isAlive() ? ", running)" : ", exited " + process.exitValue() + ")");
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private String exitCodeOrNull() {
    return process.isAlive() ? "nothing (still running)" : Integer.toString(process.exitValue());
  }

  /** Follows the log file from {@code offset} until the process has exited and all is read. */
  private void tailLog(long offset) {
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      file.seek(offset);
      ByteArrayOutputStream partial = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      while (true) {
        boolean exited = !process.isAlive();
        int n;
        boolean readAny = false;
        while ((n = file.read(buffer)) > 0) {
          readAny = true;
          for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
              addLine(partial.toString(StandardCharsets.UTF_8));
              partial.reset();
            } else {
              partial.write(buffer[i]);
            }
          }
        }
        if (exited && !readAny) {
          if (partial.size() > 0) {
            addLine(partial.toString(StandardCharsets.UTF_8));
          }
          break;
        }
        if (!readAny) {
          Thread.sleep(POLL.toMillis());
        }
      }
      appendToLog("=== " + Instant.now() + " exited " + process.exitValue());
    } catch (IOException e) {
      // The log file became unreadable: what the ring holds is all there is.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      synchronized (this) {
        notifyAll();
      }
    }
  }

  private synchronized void addLine(String text) {
    ring.addLast(new Line(linesSeen++, text.endsWith("\r") ? text.substring(0, text.length() - 1) : text));
    if (ring.size() > RING_LINES) {
      ring.removeFirst();
    }
    notifyAll();
  }

  private void appendToLog(String message) {
    try {
      Files.writeString(logFile, message + System.lineSeparator(), StandardOpenOption.APPEND);
    } catch (IOException ignored) {
      // Only a note in the log; the exit code tells the story too.
    }
  }
}
