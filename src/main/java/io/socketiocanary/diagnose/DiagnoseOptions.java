package io.socketiocanary.diagnose;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What to diagnose and how. Immutable; {@link #of} validates and says what is wrong in a message
 * a user can act on. The token and header values are secrets: {@link #toString()} hides them and
 * {@link #secrets()} lists them for redaction.
 */
public record DiagnoseOptions(URI url, String path, String namespace, String origin, String token,
    Map<String, String> headers, Duration idle, boolean insecure, Duration timeout) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  private static final Pattern IDLE = Pattern.compile("(\\d+)(ms|s|m)");

  public DiagnoseOptions {
    headers = Map.copyOf(headers);
  }

  /** Validates {@code url} (http or https, a host, no path beyond "/", no query) and the rest. */
  public static DiagnoseOptions of(String url, String path, String namespace, String origin, String token,
      Map<String, String> headers, Duration idle, boolean insecure) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      throw new IllegalArgumentException("not a URL: " + url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("URL scheme must be http or https: " + url);
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("URL has no host: " + url);
    }
    if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null
        || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
      throw new IllegalArgumentException("URL must be scheme://host[:port] only (use --path and --namespace): " + url);
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("--path must start with /: " + path);
    }
    if (!namespace.startsWith("/")) {
      throw new IllegalArgumentException("--namespace must start with /: " + namespace);
    }
    if (idle != null && (idle.isNegative() || idle.isZero())) {
      throw new IllegalArgumentException("--idle must be positive");
    }
    String trimmedPath = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    URI base = URI.create(scheme + "://" + uri.getRawAuthority());
    return new DiagnoseOptions(base, trimmedPath, namespace, origin, token, new LinkedHashMap<>(headers), idle,
        insecure, DEFAULT_TIMEOUT);
  }

  /** Parses 500ms, 30s or 2m; throws with the expected form otherwise. */
  public static Duration parseIdle(String text) {
    var m = IDLE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("--idle: expected a duration such as 60s, 500ms or 2m, got \"" + text + "\"");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
    if (d.isZero()) {
      throw new IllegalArgumentException("--idle must be positive, got \"" + text + "\"");
    }
    return d;
  }

  public DiagnoseOptions withTimeout(Duration timeout) {
    return new DiagnoseOptions(url, path, namespace, origin, token, headers, idle, insecure, timeout);
  }

  public boolean secure() {
    return url.getScheme().equalsIgnoreCase("https");
  }

  public String host() {
    String host = url.getHost();
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  public int port() {
    return url.getPort() != -1 ? url.getPort() : secure() ? 443 : 80;
  }

  /** The Engine.IO endpoint with its query, for example {@code /socket.io/?EIO=4&transport=polling}. */
  public String endpoint(String query) {
    return path + "/?" + query;
  }

  /** Every value that must never be printed: the token and each header value. */
  public List<String> secrets() {
    List<String> secrets = new ArrayList<>(headers.values());
    if (token != null) {
      secrets.add(token);
    }
    return secrets;
  }

  @Override
  public String toString() {
    return "DiagnoseOptions[url=" + url + ", path=" + path + ", namespace=" + namespace + ", origin=" + origin
        + ", token=" + (token == null ? "none" : "[redacted]") + ", headers=" + headers.keySet()
        + ", idle=" + idle + ", insecure=" + insecure + ", timeout=" + timeout + "]";
  }
}
