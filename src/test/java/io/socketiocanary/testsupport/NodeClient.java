package io.socketiocanary.testsupport;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The official Node socket.io-client 4.8 ({@code testservers/node-client.js}) in its own
 * process: a reference client to check what servers and proxies do, independent of the Java
 * client under test. Each event is one JSON line ({@code {"t": ms, "event": ..., ...}}).
 * Owns that one process. Thread-safe as {@link ManagedProcess} is.
 */
public final class NodeClient implements AutoCloseable {

  private static final Pattern JSON_LINE = Pattern.compile("^\\{.*\\}$");

  private final ManagedProcess process;

  private NodeClient(ManagedProcess process) {
    this.process = process;
  }

  /** Starts connecting to {@code url} with the given flags of node-client.js (e.g. "--transports", "websocket"). */
  public static NodeClient connect(String url, String... flags) {
    Path node = Tools.require("node");
    Path dir = Tools.testServersDir();
    List<String> command = new ArrayList<>(List.of(node.toString(), "node-client.js", "--url", url));
    command.addAll(List.of(flags));
    String name = "node-client-" + url.replaceAll("^https?://", "") + "-" + System.nanoTime();
    return new NodeClient(ManagedProcess.start(name, command, Map.of(), dir));
  }

  /** The first event named {@code event}, waiting up to {@code timeout}. */
  public JsonObject awaitEvent(String event, Duration timeout) {
    return awaitEvent(json -> event.equals(json.getString("event")), "event " + event, timeout);
  }

  /** The first event line that satisfies {@code match}. */
  public JsonObject awaitEvent(Predicate<JsonObject> match, String description, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (JsonObject json : events()) {
        if (match.test(json)) {
          return json;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("node client saw no " + description + " within " + timeout + process.describeTail());
      }
      ManagedProcess.sleep(Duration.ofMillis(20));
    }
  }

  /** All event lines so far, parsed. */
  public List<JsonObject> events() {
    return process.lines().stream().filter(l -> JSON_LINE.matcher(l).matches()).map(JsonObject::new).toList();
  }

  public ManagedProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(2));
  }
}
