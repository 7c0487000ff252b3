package io.socketiocanary.http;

import io.socketiocanary.canary.CanaryState;
import io.socketiocanary.canary.CanaryStatus;
import io.socketiocanary.canary.Fleet;
import io.socketiocanary.canary.FleetHistory;
import io.socketiocanary.config.TargetConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders {@code GET /api/status}: every target and fleet, with per-fleet summaries of all its
 * canaries and at most {@link #CANARIES_SHOWN} canaries listed each. Only data that is safe to
 * show: no socket id, token or header value; error details are already redacted.
 */
final class StatusJson {
  /** Canaries listed per fleet; {@code canaries_total} says how many there are. */
  static final int CANARIES_SHOWN = 100;

  private StatusJson() {}

  static JsonObject render(String version, Instant startedAt, boolean ready, List<Fleet> fleets, Instant now) {
    Map<String, JsonObject> targets = new LinkedHashMap<>();
    for (Fleet fleet : fleets) {
      TargetConfig target = fleet.target();
      JsonObject targetJson = targets.computeIfAbsent(target.name(), name -> new JsonObject()
          .put("name", name)
          .put("url", target.url().toString())
          .put("path", target.path())
          .put("namespace", target.namespace())
          .put("fleets", new JsonArray()));
      targetJson.getJsonArray("fleets").add(fleet(fleet, now));
    }
    return new JsonObject()
        .put("version", version)
        .put("started_at", startedAt.toString())
        .put("now", now.toString())
        .put("ready", ready)
        .put("targets", new JsonArray(new ArrayList<>(targets.values())));
  }

  private static JsonObject fleet(Fleet fleet, Instant now) {
    List<CanaryStatus> statuses = fleet.statuses();
    long connected = 0;
    Map<String, Integer> transports = new TreeMap<>();
    CanaryStatus lastDisconnect = null;
    CanaryStatus lastError = null;
    for (CanaryStatus s : statuses) {
      if (s.state() == CanaryState.CONNECTED) {
        connected++;
        if (s.transport() != null) {
          transports.merge(s.transport(), 1, Integer::sum);
        }
      }
      if (s.lastDisconnectAt() != null
          && (lastDisconnect == null || s.lastDisconnectAt().isAfter(lastDisconnect.lastDisconnectAt()))) {
        lastDisconnect = s;
      }
      if (s.lastErrorAt() != null && (lastError == null || s.lastErrorAt().isAfter(lastError.lastErrorAt()))) {
        lastError = s;
      }
    }
    JsonArray canaries = new JsonArray();
    shown(statuses).forEach(s -> canaries.add(canary(s, now)));
    JsonObject json = new JsonObject()
        .put("transport", fleet.mode().label())
        .put("clients", fleet.target().clients())
        .put("connected", connected)
        .put("up", connected > 0)
        .put("transports", new JsonObject(new LinkedHashMap<>(transports)))
        .put("canaries_total", statuses.size())
        .put("canaries", canaries)
        .put("history", history(fleet.history().snapshot(now)));
    fleet.suspectedIdleTimeout().ifPresent(seconds -> json.put("suspected_idle_timeout_s", seconds));
    if (lastDisconnect != null) {
      json.put("last_disconnect", new JsonObject().put("canary", lastDisconnect.index())
          .put("reason", lastDisconnect.lastDisconnectReason()).put("at", lastDisconnect.lastDisconnectAt().toString()));
    }
    if (lastError != null) {
      json.put("last_error", new JsonObject().put("canary", lastError.index()).put("reason", lastError.lastErrorReason())
          .put("detail", lastError.lastErrorDetail()).put("at", lastError.lastErrorAt().toString()));
    }
    return json;
  }

  /**
   * At most {@link #CANARIES_SHOWN} canaries per fleet, the ones not connected first, in index
   * order: with thousands of canaries the full list made the document megabytes and its rendering
   * slow, and the fleet-level fields above already summarize every canary.
   */
  static List<CanaryStatus> shown(List<CanaryStatus> statuses) {
    if (statuses.size() <= CANARIES_SHOWN) {
      return statuses;
    }
    List<CanaryStatus> shown = new ArrayList<>(CANARIES_SHOWN);
    for (CanaryStatus s : statuses) {
      if (shown.size() < CANARIES_SHOWN && s.state() != CanaryState.CONNECTED) {
        shown.add(s);
      }
    }
    for (CanaryStatus s : statuses) {
      if (shown.size() < CANARIES_SHOWN && s.state() == CanaryState.CONNECTED) {
        shown.add(s);
      }
    }
    shown.sort(Comparator.comparingInt(CanaryStatus::index));
    return shown;
  }

  private static JsonObject history(FleetHistory.Snapshot h) {
    JsonArray recent = new JsonArray();
    for (FleetHistory.Event e : h.recent()) {
      recent.add(new JsonObject().put("at", e.at().toString()).put("canary", e.canary())
          .put("kind", e.kind()).put("reason", e.reason()).put("seconds", e.seconds()));
    }
    JsonArray timeline = new JsonArray();
    for (FleetHistory.Minute m : h.timeline()) {
      timeline.add(new JsonObject().put("start", m.start().toString())
          .put("disconnects", new JsonObject(Map.copyOf(m.disconnects())))
          .put("reconnects", m.reconnects())
          .put("connect_errors", new JsonObject(Map.copyOf(m.connectErrors()))));
    }
    return new JsonObject()
        .put("window_seconds", 3600)
        .put("recent", recent)
        .put("timeline", timeline)
        .put("reconnect_seconds", samples(h.reconnects()))
        .put("lifetime_seconds", samples(h.lifetimes()));
  }

  private static JsonObject samples(FleetHistory.Samples s) {
    JsonArray values = new JsonArray();
    for (double v : s.seconds()) {
      values.add(Math.round(v * 1000) / 1000.0);
    }
    return new JsonObject().put("count", s.seconds().length)
        .put("p50", finite(s.p50())).put("p95", finite(s.p95())).put("p99", finite(s.p99()))
        .put("samples", values);
  }

  private static Double finite(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 1000) / 1000.0;
  }

  private static JsonObject canary(CanaryStatus s, Instant now) {
    JsonObject json = new JsonObject()
        .put("index", s.index())
        .put("state", s.state().label())
        .put("transport", s.transport());
    if (s.connectedSince() != null) {
      json.put("connected_since", s.connectedSince().toString())
          .put("socket_id_age_seconds", seconds(Duration.between(s.connectedSince(), now)));
    }
    if (s.lastDisconnectReason() != null) {
      json.put("last_disconnect", new JsonObject()
          .put("reason", s.lastDisconnectReason())
          .put("at", s.lastDisconnectAt().toString()));
    }
    if (s.lastErrorReason() != null) {
      json.put("last_error", new JsonObject()
          .put("reason", s.lastErrorReason())
          .put("detail", s.lastErrorDetail())
          .put("at", s.lastErrorAt().toString()));
    }
    return json;
  }

  private static double seconds(Duration d) {
    return Math.round(d.toMillis() / 100.0) / 10.0;
  }
}
