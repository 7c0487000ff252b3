package io.socketiocanary.diagnose;

import io.vertx.core.Future;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * 1c. For https: a TLS handshake verified by the JDK's trust store and host name rules. On a
 * failure it connects once more trusting anything, only to show the chain it was given.
 */
final class TlsCheck implements Check {
  static final String NAME = "tls";
  private static final long EXPIRY_WARN_DAYS = 14;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<CheckResult> run(DiagnosisContext ctx) {
    if (!ctx.options.secure()) {
      return Future.succeededFuture(CheckResult.skip(NAME, "plain http, no TLS"));
    }
    return handshake(ctx, false)
        .map(chain -> verified(chain))
        .recover(error -> handshake(ctx, true)
            .map(chain -> chainDescription(chain))
            .otherwise(e -> new LinkedHashMap<>(Map.of("chainError", String.valueOf(e.getMessage()))))
            .map(details -> failed(ctx, error, details)));
  }

  private Future<List<X509Certificate>> handshake(DiagnosisContext ctx, boolean trustAll) {
    int timeout = (int) ctx.options.timeout().toMillis();
    ClientSSLOptions ssl = new ClientSSLOptions().setSslHandshakeTimeout(timeout)
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    if (trustAll) {
      ssl.setTrustAll(true).setHostnameVerificationAlgorithm("");
    } else {
      ssl.setHostnameVerificationAlgorithm("HTTPS");
    }
    NetClient client = ctx.vertx.createNetClient(new NetClientOptions().setConnectTimeout(timeout));
    ConnectOptions connect = new ConnectOptions().setHost(ctx.options.host()).setPort(ctx.options.port())
        .setSsl(true).setSslOptions(ssl).setSniServerName(ctx.options.host());
    return client.connect(connect)
        .map(socket -> {
          List<X509Certificate> chain = new ArrayList<>();
          try {
            for (Certificate c : socket.peerCertificates()) {
              chain.add((X509Certificate) c);
            }
          } catch (Exception e) {
            throw new IllegalStateException("no peer certificates: " + e.getMessage(), e);
          } finally {
            socket.close();
          }
          return chain;
        })
        .timeout(timeout * 2L, TimeUnit.MILLISECONDS)
        .eventually(() -> client.close());
  }

  private CheckResult verified(List<X509Certificate> chain) {
    Map<String, Object> details = chainDescription(chain);
    long days = daysLeft(chain.get(0));
    String leaf = chain.get(0).getSubjectX500Principal().getName();
    if (days < EXPIRY_WARN_DAYS) {
      return CheckResult.warn(NAME, "certificate " + leaf + " expires in " + days + " days", details,
          "renew the certificate before it expires; clients will refuse it afterwards");
    }
    return CheckResult.pass(NAME, "trusted certificate " + leaf + ", expires in " + days + " days", details);
  }

  private CheckResult failed(DiagnosisContext ctx, Throwable error, Map<String, Object> details) {
    String reason = rootMessage(error);
    String lower = reason.toLowerCase(Locale.ROOT);
    String kind;
    String fix;
    // Expiry first: the JDK reports an expired certificate from a trusted CA as "PKIX path
    // validation failed: …: validity check failed: NotAfter: …", so it contains "pkix" too.
    if (lower.contains("notafter") || lower.contains("expired")) {
      kind = "expired certificate";
      fix = "renew the certificate";
    } else if (lower.contains("certification path") || lower.contains("pkix") || lower.contains("self signed")) {
      kind = "untrusted certificate";
      fix = "serve a certificate chain signed by a CA the clients trust (include the intermediates), "
          + "or add the CA to the clients' trust store";
    } else if (lower.contains("subject alternative") || lower.contains("no name matching")) {
      kind = "certificate name mismatch";
      fix = "serve a certificate whose subject alternative names include " + ctx.options.host();
    } else {
      kind = "TLS handshake failed";
      fix = "check the server's TLS configuration (protocols, ciphers, certificate)";
    }
    details.put("error", reason);
    if (ctx.options.insecure()) {
      return CheckResult.warn(NAME, kind + " (continuing: --insecure): " + reason, details, fix);
    }
    ctx.blocker = "tls failed (--insecure continues anyway)";
    return CheckResult.fail(NAME, kind + ": " + reason, details, fix);
  }

  private static Map<String, Object> chainDescription(List<X509Certificate> chain) {
    Map<String, Object> details = new LinkedHashMap<>();
    List<Map<String, Object>> certs = new ArrayList<>();
    for (X509Certificate cert : chain) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("subject", cert.getSubjectX500Principal().getName());
      c.put("issuer", cert.getIssuerX500Principal().getName());
      c.put("notAfter", cert.getNotAfter().toInstant().toString());
      c.put("daysLeft", daysLeft(cert));
      certs.add(c);
    }
    details.put("chain", certs);
    return details;
  }

  private static long daysLeft(X509Certificate cert) {
    return Duration.between(Instant.now(), cert.getNotAfter().toInstant()).toDays();
  }

  /** The JDK's own words: every distinct message down the cause chain, outermost first. */
  static String rootMessage(Throwable error) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = error; t != null && messages.size() < 6; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      if (m != null && messages.stream().noneMatch(previous -> previous.contains(m))) {
        messages.add(m);
      }
    }
    return messages.isEmpty() ? error.getClass().getSimpleName() : String.join(": ", messages);
  }
}
