package io.socketiocanary.canary;

import io.socketiocanary.failure.ConnectErrorReason;
import io.socketiocanary.failure.DisconnectReason;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a fleet logs what happens to its canaries, with structured fields and with every
 * secret of the target replaced before the text leaves. Routine failures log at DEBUG (the
 * metrics carry them); the first occurrence of each reason logs at INFO, and an unclassified
 * error ({@code other}) once at WARN with its full detail, so the reason set can grow.
 *
 * <p>Thread-safe.
 */
final class FailureLog {
  private static final Logger log = LoggerFactory.getLogger("io.socketiocanary.canary");
  private static final int MAX_REMEMBERED = 256;

  private final String target;
  private final String transport;
  private final Redactor redactor;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  FailureLog(String target, String transport, Redactor redactor) {
    this.target = target;
    this.transport = transport;
    this.redactor = redactor;
  }

  String redact(String text) {
    return redactor.redact(text);
  }

  void connectError(int canary, ConnectErrorReason reason, String detail) {
    String safe = redactor.redact(detail);
    boolean first = remember("error:" + reason + (reason == ConnectErrorReason.OTHER ? ":" + safe : ""));
    var event = reason == ConnectErrorReason.OTHER && first ? log.atWarn()
        : first ? log.atInfo() : log.atDebug();
    event.addKeyValue("target", target).addKeyValue("transport", transport)
        .addKeyValue("canary", canary).addKeyValue("reason", reason.label())
        .addKeyValue("detail", safe)
        .log(reason == ConnectErrorReason.OTHER
            ? "connect attempt failed for a reason the agent does not classify yet"
            : "connect attempt failed");
  }

  void disconnected(int canary, DisconnectReason reason, double lifetimeSeconds) {
    var event = remember("disconnect:" + reason) ? log.atInfo() : log.atDebug();
    event.addKeyValue("target", target).addKeyValue("transport", transport)
        .addKeyValue("canary", canary).addKeyValue("reason", reason.label())
        .addKeyValue("lifetime_s", String.format(java.util.Locale.ROOT, "%.3f", lifetimeSeconds))
        .log("canary disconnected");
  }

  void reconnected(int canary, Optional<Double> outageSeconds) {
    log.atDebug().addKeyValue("target", target).addKeyValue("transport", transport)
        .addKeyValue("canary", canary)
        .addKeyValue("outage_s", outageSeconds.map(s -> String.format(java.util.Locale.ROOT, "%.3f", s)).orElse("-"))
        .log("canary connected");
  }

  void retrying(int canary, String why, long delayMillis) {
    log.atDebug().addKeyValue("target", target).addKeyValue("transport", transport)
        .addKeyValue("canary", canary).addKeyValue("why", why).addKeyValue("delay_ms", delayMillis)
        .log("canary retries on its own: the client would not");
  }

  private boolean remember(String key) {
    if (seen.size() >= MAX_REMEMBERED) {
      return false;
    }
    return seen.add(key);
  }
}
