package io.socketiocanary.http;

import io.socketiocanary.canary.CanaryState;
import io.socketiocanary.canary.CanaryStatus;
import io.socketiocanary.canary.Fleet;
import io.socketiocanary.config.TargetConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code GET /api/status}: every target, every fleet, every canary. Only data that is
 * safe to show: no socket id, token or header value; error details are already redacted.
 */
final class StatusJson {
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
        .put("targets", new JsonArray(List.copyOf(targets.values())));
  }

  private static JsonObject fleet(Fleet fleet, Instant now) {
    List<CanaryStatus> statuses = fleet.statuses();
    long connected = statuses.stream().filter(s -> s.state() == CanaryState.CONNECTED).count();
    JsonArray canaries = new JsonArray();
    statuses.forEach(s -> canaries.add(canary(s, now)));
    return new JsonObject()
        .put("transport", fleet.mode().label())
        .put("clients", fleet.target().clients())
        .put("connected", connected)
        .put("up", connected > 0)
        .put("canaries", canaries);
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
