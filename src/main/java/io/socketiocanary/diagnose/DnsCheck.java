package io.socketiocanary.diagnose;

import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** 1a. Resolves the host with the JDK resolver (what the agent's clients use) and lists every address. */
final class DnsCheck implements Check {
  static final String NAME = "dns";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<CheckResult> run(DiagnosisContext ctx) {
    String host = ctx.options.host();
    long start = System.nanoTime();
    return ctx.vertx.executeBlocking(() -> Arrays.asList(InetAddress.getAllByName(host)), false)
        .timeout(ctx.options.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .map(addresses -> {
          ctx.addresses = addresses;
          List<String> ips = addresses.stream().map(InetAddress::getHostAddress).toList();
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("host", host);
          details.put("addresses", ips);
          details.put("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
          return CheckResult.pass(NAME, host + " resolves to " + String.join(", ", ips), details);
        })
        .otherwise(e -> {
          ctx.blocker = "dns failed";
          String why = e instanceof UnknownHostException ? "does not resolve" : "resolution failed: " + e.getMessage();
          return CheckResult.fail(NAME, host + " " + why, Map.of("host", host, "error", String.valueOf(e)),
              "check the DNS record of " + host + " and the resolver of this machine");
        });
  }
}
