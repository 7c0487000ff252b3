package io.socketiocanary.diagnose;

import io.socketiocanary.protocol.EngineIoError;
import io.socketiocanary.protocol.EnginePacket;
import io.socketiocanary.protocol.NamespaceConnect;
import io.socketiocanary.protocol.OpenPacket;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 6. Sticky sessions: a burst of polling requests on one sid, each on its own connection, the way
 * a load balancer sees a browser's long-polls and posts. Every POST asks to join a namespace that
 * does not exist, so the server has an answer ({@code 44 Invalid namespace}) for the GET after it
 * at once instead of holding a long-poll open, and no socket is created. One
 * "Session ID unknown" means a request reached a backend that does not hold the session.
 */
final class StickyCheck implements Check {
  static final String NAME = "sticky";
  static final int ROUNDS = 5;
  private static final String PROBE_NAMESPACE = "/socketio-canary-sticky-probe";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<CheckResult> run(DiagnosisContext ctx) {
    if (ctx.handshake == null) {
      return Future.succeededFuture(CheckResult.skip(NAME, "the polling handshake failed"));
    }
    Map<String, Object> details = new LinkedHashMap<>();
    List<String> log = new ArrayList<>();
    details.put("requests", log);
    return ctx.probe.get(ctx.endpoint("polling"))
        .compose(answer -> {
          String sid = OpenPacket.parse(EnginePacket.splitPayload(answer.body()).get(0))
              .orElseThrow(() -> new IllegalStateException("no session: HTTP " + answer.status() + " "
                  + answer.bodyExcerpt()))
              .sid();
          details.put("sid", sid);
          return round(ctx, sid, 1, log)
              .eventually(() -> ctx.closePollingSession(sid).otherwiseEmpty());
        })
        .map(failure -> {
          if (failure != null && failure.contains("Session ID unknown")) {
            ctx.stickyFailure = failure;
          }
          return failure;
        })
        .map(failure -> failure == null
            ? CheckResult.pass(NAME, (2 * ROUNDS) + " polling requests on one session all reached it", details)
            : CheckResult.fail(NAME, failure, details, failure.contains("Session ID unknown") ? Fixes.STICKY
                : "a polling request of an open session was refused: see the answer"))
        .recover(e -> Future.succeededFuture(CheckResult.fail(NAME, "polling burst failed: " + e.getMessage(),
            details, "check the polling transport: " + e.getMessage())));
  }

  /** Runs POST + GET rounds; completes with null when all reached the session, else what failed. */
  private Future<String> round(DiagnosisContext ctx, String sid, int n, List<String> log) {
    if (n > ROUNDS) {
      return Future.succeededFuture(null);
    }
    String uri = ctx.endpoint("polling", sid);
    int post = 2 * n - 1;
    String connect = NamespaceConnect.request(PROBE_NAMESPACE, null);
    return ctx.probe.send(HttpMethod.POST, uri, DiagnosisContext.textPlain(), connect)
        .compose(answer -> {
          log.add("#" + post + " POST " + answer.status() + " " + answer.bodyExcerpt());
          String failure = refusal(post, "POST", answer);
          if (failure != null) {
            return Future.succeededFuture(failure);
          }
          return ctx.probe.get(uri).compose(get -> {
            log.add("#" + (post + 1) + " GET " + get.status() + " " + get.bodyExcerpt());
            String getFailure = refusal(post + 1, "GET", get);
            return getFailure != null ? Future.succeededFuture(getFailure) : round(ctx, sid, n + 1, log);
          });
        });
  }

  private static String refusal(int number, String method, HttpAnswer answer) {
    if (answer.status() == 200) {
      return null;
    }
    var error = answer.engineIoError();
    if (error.isPresent() && error.get().is(EngineIoError.UNKNOWN_SID)) {
      return "Session ID unknown on request #" + number + " (" + method + ") of " + (2 * ROUNDS)
          + ": requests of one session reach different backends (no sticky sessions)";
    }
    return "request #" + number + " (" + method + ") got HTTP " + answer.status() + " " + answer.bodyExcerpt();
  }
}
