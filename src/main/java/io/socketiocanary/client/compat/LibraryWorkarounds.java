package io.socketiocanary.client.compat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up self-check: which of the agent's workarounds for the client libraries' internals
 * are active with the libraries on the class path, and which fell back to the library's own
 * behaviour. Logged once when the agent starts: one INFO line per active workaround, one WARN line
 * per fallback, each with the library versions. The workarounds themselves and why each exists are
 * in this package and in {@code docs/java-client-notes.md}.
 *
 * <p>Stateless and thread-safe.
 */
public final class LibraryWorkarounds {
  private static final Logger log = LoggerFactory.getLogger(LibraryWorkarounds.class);

  private LibraryWorkarounds() {}

  /**
   * One workaround's state.
   *
   * @param name a stable name, for the log
   * @param effect what the agent gains while it is active
   * @param fallback what happens instead when it is not
   * @param unavailableBecause why it fell back, or null when active
   */
  public record Status(String name, String effect, String fallback, String unavailableBecause) {
    public boolean active() {
      return unavailableBecause == null;
    }
  }

  /** Every workaround, checked against the libraries on the class path. */
  public static List<Status> check() {
    return List.of(
        new Status("shared-heartbeat-scheduler", "one heartbeat thread for every engine socket",
            "a heartbeat thread per engine socket", SharedHeartbeatScheduler.unavailableBecause()),
        new Status("event-thread-keep-alive", "the client's EventThread is kept for the agent's life",
            "a new EventThread after every idle moment", EventThreadKeepAlive.unavailableBecause()),
        new Status("event-thread-loop", "the client's EventThread is the WebSockets' event loop: one wake-up per ping",
            "WebSocket loops apart from the EventThread: three wake-ups per ping", EventThreadLoop.unavailableBecause()),
        new Status("manager-engine-access", "handshake and upgrade events of each connection",
            "no upgrade counts, no server ping settings", ManagerEngine.unavailableBecause()),
        new Status("agent-connect-timeout", "connect timeouts on the agent's timers, no thread per attempt",
            "the Manager's connect timeout, a Timer thread per attempt", ConnectTimeout.unavailableBecause()),
        new Status("compact-emitter-maps", "a small listener map per emitter, about 1 kB less heap per canary",
            "the library's ConcurrentHashMap per emitter", CompactEmitterMaps.unavailableBecause()));
  }

  /** The versions of the client libraries on the class path, as Maven recorded them in their jars. */
  public static String libraryVersions() {
    return "socket.io-client " + version("socket.io-client") + ", engine.io-client " + version("engine.io-client");
  }

  /** Logs {@link #check()}: INFO for each active workaround, WARN for each fallback. Returns the statuses. */
  public static List<Status> logStatus() {
    List<Status> statuses = check();
    log(statuses, libraryVersions());
    return statuses;
  }

  static void log(List<Status> statuses, String versions) {
    for (Status s : statuses) {
      if (s.active()) {
        log.atInfo().addKeyValue("workaround", s.name()).addKeyValue("libraries", versions)
            .log("client library workaround active: {}", s.effect());
      } else {
        log.atWarn().addKeyValue("workaround", s.name()).addKeyValue("libraries", versions)
            .addKeyValue("reason", s.unavailableBecause())
            .log("client library internals changed, workaround off: {}", s.fallback());
      }
    }
  }

  private static String version(String artifact) {
    String resource = "/META-INF/maven/io.socket/" + artifact + "/pom.properties";
    try (InputStream in = LibraryWorkarounds.class.getResourceAsStream(resource)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
