package io.socketiocanary.compare;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How to get past what stands in front of Prometheus (Thanos, Mimir, Grafana Cloud, an
 * authenticating proxy): request headers (bearer token, basic auth, extra headers such as
 * {@code X-Scope-OrgID}) and TLS trust (a CA file, or no verification at all). Secrets are read
 * from files once, when this is built, and never appear in {@link #toString()} or in an error
 * message: errors name the option and the file only. Immutable.
 */
public final class PrometheusAccess {
  public static final PrometheusAccess NONE = new PrometheusAccess(Map.of(), Optional.empty(), "");

  private final Map<String, String> headers;
  private final Optional<SSLContext> tls;
  private final String description;

  private PrometheusAccess(Map<String, String> headers, Optional<SSLContext> tls, String description) {
    this.headers = Map.copyOf(headers);
    this.tls = tls;
    this.description = description;
  }

  /**
   * @param bearerTokenFile file holding the token for {@code Authorization: Bearer}
   * @param basicUser user for basic auth, with {@code basicPasswordFile}
   * @param extraHeaders header name → value, sent on every request (values are secrets)
   * @param caFile PEM CA certificates to trust instead of the system's
   * @param insecure accept any certificate and any host name
   * @throws IllegalArgumentException for a bad combination or an unreadable file, naming the option
   */
  public static PrometheusAccess of(Optional<Path> bearerTokenFile, Optional<String> basicUser,
      Optional<Path> basicPasswordFile, Map<String, String> extraHeaders, Optional<Path> caFile, boolean insecure) {
    Map<String, String> headers = new LinkedHashMap<>();
    StringBuilder what = new StringBuilder();
    for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
      if (!h.getKey().matches("[a-zA-Z0-9!#$%&'*+.^_`|~-]+")) {
        throw new IllegalArgumentException("--header: invalid header name \"" + h.getKey() + "\"");
      }
      if (h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) {
        throw new IllegalArgumentException("--header " + h.getKey() + ": the value must not contain a line break");
      }
      headers.put(h.getKey(), h.getValue());
      what.append(" header ").append(h.getKey());
    }
    if (bearerTokenFile.isPresent() && (basicUser.isPresent() || basicPasswordFile.isPresent())) {
      throw new IllegalArgumentException("--bearer-token-file and --basic-auth-user are mutually exclusive");
    }
    if (basicUser.isPresent() != basicPasswordFile.isPresent()) {
      throw new IllegalArgumentException("--basic-auth-user and --basic-auth-password-file go together");
    }
    if ((bearerTokenFile.isPresent() || basicUser.isPresent())
        && headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("Authorization"))) {
      throw new IllegalArgumentException("--header Authorization conflicts with --bearer-token-file/--basic-auth-user");
    }
    if (bearerTokenFile.isPresent()) {
      headers.put("Authorization", "Bearer " + secret("--bearer-token-file", bearerTokenFile.get()));
      what.append(" bearer token from ").append(bearerTokenFile.get());
    }
    if (basicUser.isPresent()) {
      if (basicUser.get().contains(":")) {
        throw new IllegalArgumentException("--basic-auth-user must not contain ':'");
      }
      String password = secret("--basic-auth-password-file", basicPasswordFile.orElseThrow());
      headers.put("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((basicUser.get() + ":" + password).getBytes(StandardCharsets.UTF_8)));
      what.append(" basic auth as ").append(basicUser.get());
    }
    if (caFile.isPresent() && insecure) {
      throw new IllegalArgumentException("--ca-file and --insecure-skip-verify are mutually exclusive");
    }
    Optional<SSLContext> tls = Optional.empty();
    if (caFile.isPresent()) {
      tls = Optional.of(trusting(caFile.get()));
      what.append(" CA ").append(caFile.get());
    } else if (insecure) {
      tls = Optional.of(trustingAnything());
      what.append(" no TLS verification");
    }
    return new PrometheusAccess(headers, tls, what.toString().strip());
  }

  Map<String, String> headers() {
    return headers;
  }

  Optional<SSLContext> tls() {
    return tls;
  }

  /** What is configured, without a secret: for logs and debugging. */
  @Override
  public String toString() {
    return description.isEmpty() ? "no authentication" : description;
  }

  /** A file's content without its trailing newline, as Prometheus reads its credential files. */
  private static String secret(String option, Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException(option + ": " + file + " is empty");
    }
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(option + ": " + file + " must hold one line");
    }
    return text;
  }

  private static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("--ca-file: " + caFile + " holds no PEM certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
      return ctx;
    } catch (IOException e) {
      throw new IllegalArgumentException("--ca-file: cannot read " + caFile + " (" + e.getClass().getSimpleName() + ")");
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("--ca-file: " + caFile + " is not a PEM certificate file");
    }
  }

  /**
   * Trusts every certificate. Host name checking lives in the JDK's own trust manager (for an
   * {@link X509ExtendedTrustManager} the engine leaves it to the manager), so this skips it too.
   */
  private static SSLContext trustingAnything() {
    TrustManager anything = new X509ExtendedTrustManager() {
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
      @Override public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {anything}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JVM", e);
    }
  }
}
