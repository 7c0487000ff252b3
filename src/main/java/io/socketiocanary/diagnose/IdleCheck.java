package io.socketiocanary.diagnose;

import io.socketiocanary.protocol.NamespaceConnect;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 8. Idle survival: one joined WebSocket connection held for {@code --idle} (default pingInterval
 * + pingTimeout + 10 s), answering pings and sending nothing else, the way a quiet client lives.
 * If it dies, when and how, set against the ping interval: a death before the first ping means a
 * proxy idle timeout shorter than the ping interval. No ping within pingInterval + pingTimeout is
 * what clients call "ping timeout". The only long check.
 */
final class IdleCheck implements Check {
  static final String NAME = "idle";
  private static final long TICK_MS = 50;
  private static final long DEFAULT_MARGIN_MS = 10_000;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<CheckResult> run(DiagnosisContext ctx) {
    if (!ctx.websocketWorks) {
      return Future.succeededFuture(CheckResult.skip(NAME, "WebSocket does not connect"));
    }
    if (!ctx.namespaceConnected) {
      return Future.succeededFuture(CheckResult.skip(NAME, "the namespace connect failed"));
    }
    long interval = ctx.pingInterval;
    long budget = ctx.pingInterval + ctx.pingTimeout;
    long idle = ctx.options.idle() != null ? ctx.options.idle().toMillis() : budget + DEFAULT_MARGIN_MS;
    long timeout = ctx.options.timeout().toMillis();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("idleMillis", idle);
    details.put("pingInterval", interval);
    details.put("pingTimeout", ctx.pingTimeout);
    return ctx.probe.websocket(ctx.endpoint("websocket"), Map.of()).compose(ws -> {
      EngineSocket socket = new EngineSocket(ctx.vertx, ws);
      return socket.next(p -> p.startsWith("0{"), timeout)
          .compose(open -> {
            socket.send(NamespaceConnect.request(ctx.options.namespace(), ctx.options.token()));
            return socket.next(p -> NamespaceConnect.parseReply(p).isPresent(), timeout);
          })
          .compose(joined -> hold(ctx, socket, idle, budget))
          .map(outcome -> judge(socket, outcome, idle, interval, budget, details))
          .eventually(() -> {
            socket.close();
            return Future.succeededFuture();
          });
    }).recover(e -> Future.succeededFuture(CheckResult.fail(NAME, "could not open the idle connection: "
        + e.getMessage(), details, Fixes.PROXY_UPGRADE)));
  }

  private enum Outcome { SURVIVED, DIED, NO_PING }

  /** Watches the connection until {@code idle} passed, it closed, or a ping is overdue. */
  private Future<Outcome> hold(DiagnosisContext ctx, EngineSocket socket, long idle, long budget) {
    Promise<Outcome> promise = Promise.promise();
    long start = socket.sinceOpen();
    ctx.vertx.setPeriodic(TICK_MS, id -> {
      Outcome outcome = null;
      List<Long> pings = socket.pingMillis();
      long lastActivity = pings.isEmpty() ? start : pings.get(pings.size() - 1);
      long now = socket.sinceOpen();
      if (socket.isClosed()) {
        outcome = Outcome.DIED;
      } else if (now - lastActivity > budget) {
        outcome = Outcome.NO_PING;
      } else if (now - start >= idle) {
        outcome = Outcome.SURVIVED;
      }
      if (outcome != null) {
        ctx.vertx.cancelTimer(id);
        promise.complete(outcome);
      }
    });
    return promise.future();
  }

  private static CheckResult judge(EngineSocket socket, Outcome outcome, long idle, long interval, long budget,
      Map<String, Object> details) {
    List<Long> pings = socket.pingMillis();
    details.put("pingsAnswered", pings.size());
    details.put("pingAtMillis", pings);
    switch (outcome) {
      case SURVIVED -> {
        String summary = "connection alive after " + seconds(idle) + " s idle, " + pings.size() + " pings answered";
        if (idle < interval) {
          return CheckResult.warn(NAME, summary + "; but --idle is shorter than pingInterval (" + interval
              + " ms): a proxy idle timeout between the two went unseen", details,
              "run again with --idle above " + (budget + DEFAULT_MARGIN_MS) / 1000 + "s");
        }
        return CheckResult.pass(NAME, summary, details);
      }
      case NO_PING -> {
        long last = pings.isEmpty() ? 0 : pings.get(pings.size() - 1);
        details.put("silentSinceMillis", last);
        return CheckResult.fail(NAME, "no ping within pingInterval + pingTimeout (" + budget + " ms): the connection "
            + "is open but the server went silent " + (pings.isEmpty() ? "from the start" : "after " + seconds(last)
            + " s") + "; clients disconnect with \"ping timeout\"", details, Fixes.NO_PINGS);
      }
      default -> {
        long died = socket.closedMillis();
        long last = pings.isEmpty() ? 0 : pings.get(pings.size() - 1);
        long silent = died - last;
        details.put("diedAtMillis", died);
        details.put("close", socket.describeClose());
        String how = "died after " + seconds(died) + " s (" + socket.describeClose() + ")";
        if (pings.isEmpty() && died < budget) {
          return CheckResult.fail(NAME, how + " with no ping seen, before pingInterval + pingTimeout (" + budget
              + " ms): a proxy idle timeout of about " + seconds(died) + " s, shorter than the ping interval ("
              + interval + " ms)", details, Fixes.idleTimeout(budget));
        }
        if (silent < interval) {
          return CheckResult.fail(NAME, how + ", " + seconds(silent) + " s after the last ping: an idle timeout "
              + "of about " + seconds(silent) + " s on the path, shorter than the ping interval (" + interval + " ms)",
              details, Fixes.idleTimeout(budget));
        }
        return CheckResult.fail(NAME, how + ", " + seconds(silent) + " s after the last ping", details,
            "the server or something on the path closed the connection: check the server's disconnect reason; "
                + Fixes.idleTimeout(budget));
      }
    }
  }

  private static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.1f", millis / 1000.0);
  }
}
