package io.socketiocanary.diagnose;

import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** 1b. A plain TCP connect to the first resolved address, timed. */
final class TcpCheck implements Check {
  static final String NAME = "tcp";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<CheckResult> run(DiagnosisContext ctx) {
    InetAddress address = ctx.addresses.get(0);
    int port = ctx.options.port();
    String where = address.getHostAddress() + ":" + port;
    NetClient client = ctx.vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout((int) ctx.options.timeout().toMillis()));
    long start = System.nanoTime();
    return client.connect(port, address.getHostAddress())
        .timeout(ctx.options.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .map(socket -> {
          long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          socket.close();
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("address", where);
          details.put("millis", millis);
          return CheckResult.pass(NAME, "connected to " + where + " in " + millis + " ms", details);
        })
        .otherwise(e -> {
          ctx.blocker = "tcp connect failed";
          String message = String.valueOf(e.getMessage());
          boolean refused = message.toLowerCase(java.util.Locale.ROOT).contains("refused");
          String summary = refused ? "connection refused by " + where : "cannot connect to " + where + ": " + message;
          String fix = refused
              ? "nothing listens on " + where + ": the server or proxy is down or restarting, or the port is wrong"
              : "no answer from " + where + ": a firewall or security group drops the packets, or the host is down";
          return CheckResult.fail(NAME, summary, Map.of("address", where, "error", message), fix);
        })
        .eventually(() -> client.close());
  }
}
