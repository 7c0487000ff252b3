package io.socketiocanary.http;

import io.socketiocanary.config.ApiSettings;
import io.socketiocanary.rollout.Marker;
import io.socketiocanary.rollout.Markers;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /api/markers} (bearer token required) and {@code GET /api/markers}. Without a
 * configured token the mutating endpoint answers 403 and says how to enable it.
 */
final class MarkersApi {
  /** A marker is a label and a sentence; anything bigger is not a marker. */
  static final int MAX_BODY_BYTES = 4096;

  /** Read on each request: a reload may set or change the token. */
  private final Supplier<ApiSettings> api;
  private final Markers markers;

  MarkersApi(Supplier<ApiSettings> api, Markers markers) {
    this.api = api;
    this.markers = markers;
  }

  void list(RoutingContext ctx) {
    JsonArray list = new JsonArray();
    markers.all().forEach(m -> list.add(json(m)));
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("markers", list).encode());
  }

  void create(RoutingContext ctx) {
    ApiSettings settings = api.get();
    if (settings.token().isEmpty()) {
      error(ctx, 403, "the API is disabled: set canary.api.token (or CANARY_API_TOKEN) to enable it");
      return;
    }
    if (!authorized(settings, ctx.request().getHeader("Authorization"))) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      error(ctx, 401, "a valid Authorization: Bearer <token> header is required");
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
    if (!(label instanceof String) || (description != null && !(description instanceof String))) {
      error(ctx, 400, "label (and description, when given) must be strings");
      return;
    }
    Optional<String> invalid = Markers.validate((String) label, (String) description);
    if (invalid.isPresent()) {
      error(ctx, 400, invalid.get());
      return;
    }
    Marker marker = markers.record((String) label, (String) description);
    ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(json(marker).encode());
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
