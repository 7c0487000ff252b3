package io.socketiocanary.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Looks inside a running agent JVM with {@code jcmd} (from the test JVM's own JDK): a full GC,
 * and a thread dump counted by the thread names the agent and its libraries use. Stateless and
 * thread-safe.
 */
public final class AgentJvm {

  /** Live threads by kind, and how many of the agent's HTTP threads are running an OkHttp call. */
  public record Threads(Map<String, Integer> byKind, int runningCalls, int idlePoolThreads, int total) {
    /** Threads minus idle pool threads (ours and OkHttp's), which the pools retire after 60 s idle. */
    public int busy() {
      return total - idlePoolThreads;
    }

    public int count(String kind) {
      return byKind.getOrDefault(kind, 0);
    }

    @Override
    public String toString() {
      return "total=" + total + " busy=" + busy() + " " + byKind + " runningCalls=" + runningCalls;
    }
  }

  /** Name prefixes worth counting: the Java client's Timers, heartbeat executors and EventThread, OkHttp's and ours. */
  public static final List<String> KINDS = List.of("Timer-", "engine.io-client.heartbeat-", "EventThread",
      "canary-http-", "OkHttp", "vert.x-eventloop", "vert.x-worker");

  private AgentJvm() {}

  /** {@code jcmd <pid> GC.run}: a full collection, so heap used afterwards is what is live. */
  public static void gc(long pid) {
    jcmd(pid, "GC.run");
  }

  /** {@code jcmd <pid> Thread.print}, counted. */
  public static Threads threads(long pid) {
    return count(jcmd(pid, "Thread.print"));
  }

  static Threads count(String dump) {
    Map<String, Integer> byKind = new LinkedHashMap<>();
    KINDS.forEach(k -> byKind.put(k, 0));
    int total = 0;
    int runningCalls = 0;
    int idlePoolThreads = 0;
    // Thread.print separates threads with blank lines; each block starts with "name" #id ...
    for (String block : dump.split("\n\\s*\n")) {
      String trimmed = block.strip();
      if (!trimmed.startsWith("\"")) {
        continue;
      }
      String name = trimmed.substring(1, trimmed.indexOf('"', 1));
      if (!trimmed.contains("java.lang.Thread.State")) {
        continue; // VM-internal threads (GC, compiler) have no Java stack
      }
      total++;
      for (String kind : KINDS) {
        if (name.startsWith(kind)) {
          byKind.merge(kind, 1, Integer::sum);
        }
      }
      // OkHttp renames a dispatcher thread "OkHttp <url>" while it runs a call (a WebSocket's
      // reader loop, a long-poll), and back to its pool name (canary-http-N) when done.
      if (name.startsWith("OkHttp http")) {
        runningCalls++;
      } else if (name.startsWith("canary-http-") || name.startsWith("OkHttp TaskRunner")
          && !trimmed.contains("okhttp3.internal.concurrent.TaskRunner$runnable$1.run")) {
        idlePoolThreads++;
      }
    }
    return new Threads(Map.copyOf(byKind), runningCalls, idlePoolThreads, total);
  }

  private static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid), command));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
