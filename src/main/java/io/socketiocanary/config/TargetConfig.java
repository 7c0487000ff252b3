package io.socketiocanary.config;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Socket.IO service to keep canaries connected to. Immutable and thread-safe: the collections
 * are unmodifiable copies.
 *
 * @param name the {@code target} metric label, matches {@code [a-zA-Z0-9_-]+}
 * @param url scheme and authority only (http or https), path empty or "/"
 * @param path the Engine.IO path, such as {@code /socket.io}
 * @param namespace the Socket.IO namespace, such as {@code /}
 * @param transports the transport modes to run, non-empty and distinct
 * @param clients canaries per transport mode
 * @param idle silence between liveness probes
 * @param probe the liveness probe
 * @param connectTimeout how long one connection attempt may take
 * @param reconnection the client's reconnection back-off
 * @param auth the handshake token
 * @param headers extra HTTP headers, in the order written in the file
 * @param origin the browser origin the target's users come from, sent as {@code Origin} and
 *     checked against CORS answers like a browser would; "" for none
 * @param authErrorPatterns lower-case substrings that make a middleware rejection an {@code auth}
 *     failure rather than {@code server_rejected}
 * @param drill reconnect drills
 * @param tls how the target's certificate is checked
 * @param recovery whether canaries offer connection state recovery when they reconnect
 * @param subscribe the numbered event followed for message continuity, if any
 */
public record TargetConfig(
    String name,
    URI url,
    String path,
    String namespace,
    List<TransportMode> transports,
    int clients,
    Duration idle,
    ProbeSettings probe,
    Duration connectTimeout,
    ReconnectionSettings reconnection,
    AuthSettings auth,
    Map<String, String> headers,
    String origin,
    List<String> authErrorPatterns,
    DrillSettings drill,
    TlsSettings tls,
    RecoveryMode recovery,
    SubscribeSettings subscribe) {
  public TargetConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(namespace, "namespace");
    transports = List.copyOf(transports);
    Objects.requireNonNull(idle, "idle");
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(reconnection, "reconnection");
    Objects.requireNonNull(auth, "auth");
    // Map.copyOf would lose the order; header order is visible on the wire.
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    Objects.requireNonNull(origin, "origin");
    authErrorPatterns = List.copyOf(authErrorPatterns);
    Objects.requireNonNull(drill, "drill");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(recovery, "recovery");
    Objects.requireNonNull(subscribe, "subscribe");
  }

  /** A target with the default recovery ({@code auto}) and no subscription. */
  public TargetConfig(String name, URI url, String path, String namespace, List<TransportMode> transports,
      int clients, Duration idle, ProbeSettings probe, Duration connectTimeout, ReconnectionSettings reconnection,
      AuthSettings auth, Map<String, String> headers, String origin, List<String> authErrorPatterns,
      DrillSettings drill, TlsSettings tls) {
    this(name, url, path, namespace, transports, clients, idle, probe, connectTimeout, reconnection, auth, headers,
        origin, authErrorPatterns, drill, tls, RecoveryMode.AUTO, SubscribeSettings.NONE);
  }

  /** Default patterns for {@link #authErrorPatterns}, the field guide's expired-token wording. */
  public static final List<String> DEFAULT_AUTH_ERROR_PATTERNS =
      List.of("token", "auth", "expired", "unauthori", "forbidden", "jwt");
}
