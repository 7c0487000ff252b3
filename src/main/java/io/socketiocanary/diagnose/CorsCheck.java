package io.socketiocanary.diagnose;

import io.socketiocanary.protocol.EngineIoError;
import io.socketiocanary.protocol.EngineIoErrorBody;
import io.socketiocanary.protocol.EnginePacket;
import io.socketiocanary.protocol.OpenPacket;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * 3. With {@code --origin}: the polling GET and POST as a browser on that origin makes them, and
 * the check a browser applies to each answer: {@code Access-Control-Allow-Origin} equal to the
 * origin or {@code *} (not {@code *} with credentials). The POST is {@code text/plain}, a simple
 * request, so browsers send no preflight; the OPTIONS answer is only reported.
 */
final class CorsCheck implements Check {
  static final String NAME = "cors";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<CheckResult> run(DiagnosisContext ctx) {
    String origin = ctx.options.origin();
    if (origin == null) {
      return Future.succeededFuture(CheckResult.skip(NAME, "no --origin given"));
    }
    if (ctx.handshake == null) {
      return Future.succeededFuture(CheckResult.skip(NAME, "the polling handshake failed"));
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("origin", origin);
    String uri = ctx.endpoint("polling");
    return ctx.probe.send(HttpMethod.GET, uri, Map.of("Origin", origin), null)
        .compose(get -> {
          details.put("getStatus", get.status());
          details.put("getAllowOrigin", String.valueOf(get.headers().get("Access-Control-Allow-Origin")));
          Optional<CheckResult> refused = refused(ctx, get, details, "GET");
          if (refused.isPresent()) {
            return Future.succeededFuture(refused.get());
          }
          String sid = OpenPacket.parse(EnginePacket.splitPayload(get.body()).get(0)).get().sid();
          String postUri = ctx.endpoint("polling", sid);
          return preflight(ctx, postUri, details)
              // "1" closes the session: the POST is checked and the session cleaned up in one.
              .compose(v -> ctx.probe.send(HttpMethod.POST, postUri,
                  Map.of("Origin", origin, "Content-Type", "text/plain;charset=UTF-8"), EnginePacket.CLOSE.encode()))
              .map(post -> {
                details.put("postStatus", post.status());
                details.put("postAllowOrigin", String.valueOf(post.headers().get("Access-Control-Allow-Origin")));
                return refused(ctx, post, details, "POST").orElseGet(() -> CheckResult.pass(NAME,
                    "origin " + origin + " allowed on polling GET and POST (Access-Control-Allow-Origin "
                        + post.headers().get("Access-Control-Allow-Origin") + ")", details));
              });
        })
        .recover(e -> Future.succeededFuture(CheckResult.fail(NAME, "CORS requests failed: " + e.getMessage(),
            details, Fixes.cors(origin))));
  }

  private Future<Void> preflight(DiagnosisContext ctx, String uri, Map<String, Object> details) {
    Map<String, String> headers = Map.of("Origin", ctx.options.origin(), "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "content-type");
    return ctx.probe.send(HttpMethod.OPTIONS, uri, headers, null)
        .map(answer -> {
          details.put("preflightStatus", answer.status());
          details.put("preflightAllowOrigin", String.valueOf(answer.headers().get("Access-Control-Allow-Origin")));
          details.put("preflightAllowMethods", String.valueOf(answer.headers().get("Access-Control-Allow-Methods")));
          return (Void) null;
        })
        .otherwise(e -> {
          details.put("preflightError", String.valueOf(e.getMessage()));
          return null;
        });
  }

  /** A failure when the server refused the origin or a browser would refuse the answer. */
  private static Optional<CheckResult> refused(DiagnosisContext ctx, HttpAnswer answer, Map<String, Object> details,
      String method) {
    String origin = ctx.options.origin();
    var error = answer.engineIoError();
    if (answer.status() == 403 || error.map(e -> e.is(EngineIoError.FORBIDDEN)).orElse(false)) {
      String message = error.map(EngineIoErrorBody::message).orElse(answer.bodyExcerpt());
      details.put("body", answer.bodyExcerpt());
      return Optional.of(CheckResult.fail(NAME, "origin not allowed: polling " + method + " with Origin " + origin
          + " got " + answer.status() + " (" + message + ")", details, Fixes.cors(origin)));
    }
    if (answer.status() != 200) {
      details.put("body", answer.bodyExcerpt());
      return Optional.of(CheckResult.fail(NAME, "polling " + method + " with Origin " + origin + " got "
          + answer.status() + ": " + answer.bodyExcerpt(), details, Fixes.cors(origin)));
    }
    String problem = allowOriginProblem(answer.headers().get("Access-Control-Allow-Origin"),
        answer.headers().get("Access-Control-Allow-Credentials"), origin);
    if (problem != null) {
      return Optional.of(CheckResult.fail(NAME, "a browser on " + origin + " would block the polling " + method
          + ": " + problem, details, Fixes.cors(origin)));
    }
    return Optional.empty();
  }

  /** Why a browser would refuse this answer, or null when it accepts it. */
  static String allowOriginProblem(String allowOrigin, String allowCredentials, String origin) {
    if (allowOrigin == null) {
      return "no Access-Control-Allow-Origin header";
    }
    List<String> values = List.of(allowOrigin.split(",")).stream().map(String::strip).toList();
    if (values.size() > 1) {
      return "Access-Control-Allow-Origin has several values (" + allowOrigin + "); browsers accept only one";
    }
    if (allowOrigin.equals("*")) {
      return "true".equalsIgnoreCase(allowCredentials)
          ? "Access-Control-Allow-Origin * is not allowed with Access-Control-Allow-Credentials: true" : null;
    }
    return allowOrigin.equals(origin) ? null
        : "Access-Control-Allow-Origin is " + allowOrigin + ", not " + origin;
  }
}
