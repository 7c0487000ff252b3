package io.socketiocanary.diagnose;

import io.socketiocanary.canary.Redactor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the checks in order on one Vert.x context, each after the previous one completed, and
 * returns the report with every secret redacted. A check after a blocking failure (DNS, TCP, TLS,
 * a protocol mismatch) is skipped with the reason. Nothing here blocks: callers outside Vert.x
 * wait on the returned Future. Thread-safe: each call has its own context state.
 */
public final class Diagnosis {
  /** Bounds every check but the idle one, whatever goes wrong inside it. */
  private static final int SAFETY_TIMEOUTS = 6;

  private Diagnosis() {}

  /** The checks, in the order they run. */
  public static List<Check> checks() {
    return List.of(new DnsCheck(), new TcpCheck(), new TlsCheck(), new HandshakeCheck(), new CorsCheck(),
        new WebSocketCheck(), new UpgradeCheck(), new StickyCheck(), new NamespaceCheck(), new RecoveryCheck(), new IdleCheck());
  }

  public static Future<Report> run(Vertx vertx, DiagnoseOptions options) {
    Promise<Report> promise = Promise.promise();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      HttpProbe probe = new HttpProbe(vertx, options);
      DiagnosisContext ctx = new DiagnosisContext(vertx, options, probe);
      List<CheckResult> results = new ArrayList<>();
      runFrom(checks(), 0, ctx, results)
          .onComplete(done -> {
            probe.close();
            Redactor redactor = new Redactor(options::secrets);
            Report report = new Report(target(options), results).redacted(redactor::redact);
            if (done.succeeded()) {
              promise.complete(report);
            } else {
              promise.fail(done.cause());
            }
          });
    });
    return promise.future();
  }

  static String target(DiagnoseOptions options) {
    return options.url() + options.path() + "/ namespace " + options.namespace();
  }

  private static Future<Void> runFrom(List<Check> checks, int index, DiagnosisContext ctx, List<CheckResult> out) {
    if (index == checks.size()) {
      return Future.succeededFuture();
    }
    Check check = checks.get(index);
    Future<CheckResult> result;
    if (ctx.blocker != null) {
      result = Future.succeededFuture(CheckResult.skip(check.name(), ctx.blocker));
    } else {
      result = guarded(check, ctx);
    }
    return result.compose(r -> {
      out.add(r);
      return runFrom(checks, index + 1, ctx, out);
    });
  }

  private static Future<CheckResult> guarded(Check check, DiagnosisContext ctx) {
    Future<CheckResult> result;
    try {
      result = check.run(ctx);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    if (!(check instanceof IdleCheck)) {
      long bound = check instanceof RecoveryCheck
          ? RecoveryCheck.SAFETY_TIMEOUTS * ctx.options.timeout().toMillis() + RecoveryCheck.CUT_MS
          : SAFETY_TIMEOUTS * ctx.options.timeout().toMillis();
      result = result.timeout(bound, TimeUnit.MILLISECONDS);
    }
    return result.recover(e -> Future.succeededFuture(CheckResult.fail(check.name(),
        "the check itself failed: " + e, java.util.Map.of(), "report this as a bug of socketio-canary diagnose")));
  }
}
