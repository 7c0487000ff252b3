package io.socketiocanary.client;

import io.socketiocanary.config.TlsSettings;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A target's {@link TlsSettings} as the Netty TLS context its polling requests and WebSockets use:
 * the system's trust store, a private CA from a PEM file, or, for a lab, no verification at all.
 */
final class TargetTls {
  private final boolean skipVerify;
  /** The trust to use instead of the system's; null for the system's. */
  private final X509TrustManager trust;

  private TargetTls(boolean skipVerify, X509TrustManager trust) {
    this.skipVerify = skipVerify;
    this.trust = trust;
  }

  /** Reads the CA file, if any, once per target. */
  static TargetTls of(TlsSettings tls) {
    try {
      if (tls.insecureSkipVerify()) {
        return new TargetTls(true, new TrustEverything());
      }
      return new TargetTls(false, tls.caFile().isPresent() ? trustManagerFor(tls) : null);
    } catch (IOException | GeneralSecurityException e) {
      // The config loader checked the file; it changed since. Fail the target, not the agent.
      throw new IllegalStateException("cannot use the CA file " + tls.caFile().orElseThrow() + ": " + e.getMessage(), e);
    }
  }

  /** The Netty TLS context for polling and WebSockets; host names are verified as OkHttp did, unless skipped. */
  SslContext nettyContext() {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient().endpointIdentificationAlgorithm(skipVerify ? null : "HTTPS");
      if (trust != null) {
        builder.trustManager(trust);
      }
      return builder.build();
    } catch (IOException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManagerFor(TlsSettings tls) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(tls.caFile().orElseThrow())) {
      int i = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X509TrustManager");
  }

  /** insecure-skip-verify: every chain is accepted. Only ever built when the config says so. */
  private static final class TrustEverything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
