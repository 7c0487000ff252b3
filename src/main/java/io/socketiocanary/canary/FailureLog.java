package io.socketiocanary.canary;

import io.socketiocanary.failure.ConnectErrorReason;
import java.time.Duration;
import java.util.Locale;
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
final class FailureLog implements CanaryObserver {
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

  @Override
  public void connectFailed(CanaryEvent.ConnectFailed event) {
    ConnectErrorReason reason = event.reason();
    String safe = redactor.redact(event.detail());
    boolean first = remember("error:" + reason + (reason == ConnectErrorReason.OTHER ? ":" + safe : ""));
    var line = reason == ConnectErrorReason.OTHER && first ? log.atWarn()
        : first ? log.atInfo() : log.atDebug();
    line.addKeyValue("target", target).addKeyValue("transport", transport)
        .addKeyValue("canary", event.canary()).addKeyValue("reason", reason.label())
        .addKeyValue("detail", safe)
        .log(reason == ConnectErrorReason.OTHER
            ? "connect attempt failed for a reason the agent does not classify yet"
            : "connect attempt failed");
  }

  @Override
  public void disconnected(CanaryEvent.Disconnected event) {
    var line = remember("disconnect:" + event.reason()) ? log.atInfo() : log.atDebug();
    line.addKeyValue("target", target).addKeyValue("transport", transport)
        .addKeyValue("canary", event.canary()).addKeyValue("reason", event.reason().label())
        .addKeyValue("lifetime_s", seconds(event.lifetime()))
        .log("canary disconnected");
  }

  @Override
  public void connected(CanaryEvent.Connected event) {
    log.atDebug().addKeyValue("target", target).addKeyValue("transport", transport)
        .addKeyValue("canary", event.canary())
        .addKeyValue("outage_s", event.outage().map(FailureLog::seconds).orElse("-"))
        .log("canary connected");
  }

  @Override
  public void retryScheduled(CanaryEvent.RetryScheduled event) {
    log.atDebug().addKeyValue("target", target).addKeyValue("transport", transport)
        .addKeyValue("canary", event.canary()).addKeyValue("why", event.why())
        .addKeyValue("delay_ms", event.delayMillis())
        .log("canary retries on its own: the client would not");
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.3f", duration.toNanos() / 1e9);
  }

  private boolean remember(String key) {
    if (seen.size() >= MAX_REMEMBERED) {
      return false;
    }
    return seen.add(key);
  }
}
