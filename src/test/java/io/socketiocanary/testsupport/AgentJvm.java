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

  /**
   * Live threads by kind. (It once also counted the OkHttp dispatcher threads running a call; no
   * canary call runs on a thread of its own any more: see {@link #connectionsTo} for what is left
   * open instead.)
   */
  public record Threads(Map<String, Integer> byKind, int idlePoolThreads, int total) {
    /** Threads minus idle pool threads, which their pools retire when idle. */
    public int busy() {
      return total - idlePoolThreads;
    }

    public int count(String kind) {
      return byKind.getOrDefault(kind, 0);
    }

    @Override
    public String toString() {
      return "total=" + total + " busy=" + busy() + " " + byKind;
    }
  }

  /**
   * Name prefixes worth counting: the Java client's Timers, heartbeat executors and EventThread,
   * the agent's canary event loops (their own only where the EventThread cannot be one) and DNS
   * threads, and any OkHttp thread (none should run: neither polling nor WebSockets use OkHttp's
   * dispatcher).
   */
  public static final List<String> KINDS = List.of("Timer-", "engine.io-client.heartbeat-", "EventThread",
      "canary-io", "canary-dns-", "OkHttp", "vert.x-eventloop", "vert.x-worker");

  /** The kernel's TCP state numbers in /proc/net/tcp (include/net/tcp_states.h). */
  private static final Map<String, String> TCP_STATES = Map.ofEntries(Map.entry("01", "ESTABLISHED"),
      Map.entry("02", "SYN_SENT"), Map.entry("03", "SYN_RECV"), Map.entry("04", "FIN_WAIT1"),
      Map.entry("05", "FIN_WAIT2"), Map.entry("06", "TIME_WAIT"), Map.entry("07", "CLOSE"),
      Map.entry("08", "CLOSE_WAIT"), Map.entry("09", "LAST_ACK"), Map.entry("0B", "CLOSING"));

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
      // A fleet's DNS threads waiting for work: they retire after 30 s idle.
      if (name.startsWith("canary-dns-") && trimmed.contains("LinkedBlockingQueue")) {
        idlePoolThreads++;
      }
    }
    return new Threads(Map.copyOf(byKind), idlePoolThreads, total);
  }

  /**
   * The agent's TCP connections (in any state but LISTEN) whose remote port is one of {@code
   * ports}: its socket descriptors ({@code /proc/<pid>/fd}) matched by inode against {@code
   * /proc/net/tcp} and {@code tcp6}. What a call or a WebSocket left open shows here, whatever
   * thread (or none) carries it. Linux only.
   */
  public static int connectionsTo(long pid, java.util.Set<Integer> ports) {
    return connectionStates(pid, ports).values().stream().mapToInt(Integer::intValue).sum();
  }

  /** {@link #connectionsTo}, counted by TCP state ({@code ESTABLISHED}, {@code CLOSE_WAIT}, …). */
  public static Map<String, Integer> connectionStates(long pid, java.util.Set<Integer> ports) {
    java.util.Set<String> inodes = ProcSockets.inodesOf(pid);
    Map<String, Integer> states = new java.util.TreeMap<>();
    for (ProcSockets.TcpSocket s : ProcSockets.all()) {
      if (!ProcSockets.LISTEN.equals(s.state()) && ports.contains(s.remotePort()) && inodes.contains(s.inode())) {
        states.merge(TCP_STATES.getOrDefault(s.state(), s.state()), 1, Integer::sum);
      }
    }
    return states;
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
