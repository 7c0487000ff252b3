package io.socketiocanary.canary;

import io.socketiocanary.failure.IdleTimeoutDetector;
import io.socketiocanary.metrics.FleetMetrics;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a fleet's disconnects into the suspected-proxy-idle-timeout gauge, and says once, at
 * WARN, what it means next to the server's ping interval: a proxy that closes a connection idle
 * for less than pingInterval + pingTimeout kills every idle client between two pings.
 *
 * <p>Not thread-safe: owned by one fleet's context.
 */
final class IdleTimeoutWatch implements CanaryObserver {
  private static final Logger log = LoggerFactory.getLogger("io.socketiocanary.canary");

  private final String target;
  private final String transport;
  private final FleetMetrics metrics;
  private final IdleTimeoutDetector detector = new IdleTimeoutDetector();
  /** The server's timings from the last handshake; none before the first. */
  private Optional<CanaryEvent.ServerTimings> server = Optional.empty();
  private boolean warned;

  IdleTimeoutWatch(String target, String transport, FleetMetrics metrics) {
    this.target = target;
    this.transport = transport;
    this.metrics = metrics;
  }

  @Override
  public void serverTimings(CanaryEvent.ServerTimings event) {
    server = Optional.of(event);
  }

  /** Weighs an organic disconnect; see {@link IdleTimeoutDetector#disconnected}. */
  @Override
  public void disconnected(CanaryEvent.Disconnected event) {
    OptionalDouble suspected = detector.disconnected(event.canary(), event.reason(),
        event.lifetime().toNanos() / 1e9, event.outageBeforeSeconds());
    if (log.isDebugEnabled()) {
      logWeighed(event, suspected);
    }
    // Logged before the gauge appears, so whoever sees the gauge finds the explanation.
    if (suspected.isPresent() && !warned) {
      warned = true;
      log.atWarn().addKeyValue("target", target).addKeyValue("transport", transport)
          .addKeyValue("suspected_idle_timeout_s", format(suspected.getAsDouble()))
          .log(message(suspected.getAsDouble()));
    }
    metrics.suspectedIdleTimeout(suspected);
  }

  /** Every cut weighed, so a timeout named late (or not at all) can be followed cut by cut. */
  private void logWeighed(CanaryEvent.Disconnected event, OptionalDouble suspected) {
    log.atDebug().addKeyValue("target", target).addKeyValue("transport", transport)
        .addKeyValue("canary", event.canary()).addKeyValue("reason", event.reason().label())
        .addKeyValue("lifetime_s", seconds(event.lifetime().toNanos() / 1e9))
        .addKeyValue("outage_before_s", event.outageBeforeSeconds().isPresent()
            ? seconds(event.outageBeforeSeconds().getAsDouble()) : "none")
        .addKeyValue("fit", detector.lastWeighing().map(Object::toString).orElse("too few cuts at one age"))
        .addKeyValue("suspected_s", suspected.isPresent() ? seconds(suspected.getAsDouble()) : "none")
        .log("idle-timeout detector weighed a disconnect");
  }

  String message(double suspectedSeconds) {
    if (server.isEmpty()) {
      return String.format(Locale.ROOT, "connections die after %.1f s idle; something on the path"
          + " (a proxy or load balancer idle timeout) cuts them", suspectedSeconds);
    }
    double pingIntervalSeconds = server.get().pingInterval().toNanos() / 1e9;
    double pingTimeoutSeconds = server.get().pingTimeout().toNanos() / 1e9;
    if (suspectedSeconds > pingIntervalSeconds) {
      // Pings cross the connection every pingInterval, so no idle timer can reach this age.
      return String.format(Locale.ROOT, "connections die after %.1f s although the server pings every %s s;"
          + " something on the path limits a connection's age (a load balancer's or proxy's maximum"
          + " connection or backend timeout), not its idle time", suspectedSeconds, format(pingIntervalSeconds));
    }
    return String.format(Locale.ROOT, "connections die after %.1f s idle; server pings every %s s;"
        + " the proxy's read timeout must exceed pingInterval + pingTimeout (%s s)",
        suspectedSeconds, format(pingIntervalSeconds), format(pingIntervalSeconds + pingTimeoutSeconds));
  }

  private static String seconds(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static String format(double seconds) {
    return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.format(Locale.ROOT, "%.1f", seconds);
  }
}
