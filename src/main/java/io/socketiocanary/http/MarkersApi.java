package io.socketiocanary.http;

import io.socketiocanary.canary.Fleet;
import io.socketiocanary.config.ApiSettings;
import io.socketiocanary.rollout.Marker;
import io.socketiocanary.rollout.Markers;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /api/markers}, {@code POST /api/recycle} (bearer token required) and
 * {@code GET /api/markers}. Without a configured token the mutating endpoints answer 403 and say
 * how to enable it.
 *
 * <p>A marker, unless its body says {@code "recycle": false}, and every recycle request
 * re-establish each canary's connection within {@code canary.api.recycle-spread}: a reloaded proxy
 * keeps established connections on its old workers with the old settings, so idle canaries would
 * never meet the change and the after window would judge the old path.
 */
final class MarkersApi {
  /** A marker is a label and a sentence; anything bigger is not a marker. */
  static final int MAX_BODY_BYTES = 4096;

  /** Read on each request: a reload may set or change the token. */
  private final Supplier<ApiSettings> api;
  private final Markers markers;
  private final Supplier<List<Fleet>> fleets;

  MarkersApi(Supplier<ApiSettings> api, Markers markers, Supplier<List<Fleet>> fleets) {
    this.api = api;
    this.markers = markers;
    this.fleets = fleets;
  }

  void list(RoutingContext ctx) {
    JsonArray list = new JsonArray();
    markers.all().forEach(m -> list.add(json(m)));
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("markers", list).encode());
  }

  void create(RoutingContext ctx) {
    ApiSettings settings = api.get();
    if (!allowed(ctx, settings)) {
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      error(ctx, 400, "the body must be a JSON object such as {\"label\": \"nginx-timeout-3600\", \"description\": \"...\"}");
      return;
    }
    if (body == null) {
      error(ctx, 400, "the body must be a JSON object with a label");
      return;
    }
    Object label = body.getValue("label");
    Object description = body.getValue("description");
    Object recycle = body.getValue("recycle", Boolean.TRUE);
    if (!(label instanceof String) || (description != null && !(description instanceof String))) {
      error(ctx, 400, "label (and description, when given) must be strings");
      return;
    }
    if (!(recycle instanceof Boolean)) {
      error(ctx, 400, "recycle, when given, must be true or false");
      return;
    }
    Optional<String> invalid = Markers.validate((String) label, (String) description);
    if (invalid.isPresent()) {
      error(ctx, 400, invalid.get());
      return;
    }
    Marker marker = markers.record((String) label, (String) description);
    int recycled = rollout(marker.at(), (Boolean) recycle ? Optional.of(settings.recycleSpread()) : Optional.empty());
    ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
        .end(json(marker).put("recycle", recycle(recycled, (Boolean) recycle ? settings.recycleSpread() : null)).encode());
  }

  /** {@code POST /api/recycle}: re-establish every canary's connection, without a marker. */
  void recycle(RoutingContext ctx) {
    ApiSettings settings = api.get();
    if (!allowed(ctx, settings)) {
      return;
    }
    int recycled = rollout(Clock.systemUTC().instant(), Optional.of(settings.recycleSpread()));
    ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
        .end(recycle(recycled, settings.recycleSpread()).encode());
  }

  private int rollout(Instant at, Optional<Duration> spread) {
    int canaries = 0;
    for (Fleet fleet : fleets.get()) {
      fleet.rollout(at, spread);
      canaries += fleet.target().clients();
    }
    return spread.isPresent() ? canaries : 0;
  }

  private static JsonObject recycle(int canaries, Duration spread) {
    return new JsonObject().put("canaries", canaries)
        .put("spread_seconds", spread == null ? null : spread.toMillis() / 1000.0);
  }

  private static boolean allowed(RoutingContext ctx, ApiSettings settings) {
    if (settings.token().isEmpty()) {
      error(ctx, 403, "the API is disabled: set canary.api.token (or CANARY_API_TOKEN) to enable it");
      return false;
    }
    if (!authorized(settings, ctx.request().getHeader("Authorization"))) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      error(ctx, 401, "a valid Authorization: Bearer <token> header is required");
      return false;
    }
    return true;
  }

  /** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
  private static boolean authorized(ApiSettings settings, String header) {
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    byte[] given = header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
    byte[] expected = settings.token().orElseThrow().reveal().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, expected);
  }

  private static JsonObject json(Marker m) {
    return new JsonObject().put("label", m.label()).put("description", m.description()).put("at", m.at().toString());
  }

  static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }
}
