package io.socketiocanary.compare;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Instant queries against Prometheus's HTTP API ({@code POST /api/v1/query}). Every failure
 * becomes a {@link PrometheusException} with a one-line message naming the server and, for a
 * rejected query, the query and Prometheus's own error. Thread-safe (the JDK client is).
 */
public final class PrometheusClient {

  /** One element of an instant vector. */
  public record Sample(Map<String, String> labels, double value) {
    public String label(String name) {
      return labels.getOrDefault(name, "");
    }
  }

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;
  private final PrometheusAccess access;

  /** @param base the server's root URL, for example {@code http://prometheus:9090} */
  public PrometheusClient(URI base, Duration timeout) {
    this(base, timeout, PrometheusAccess.NONE);
  }

  /** @param access headers and TLS trust for an authenticating Prometheus, Thanos, Mimir or proxy */
  public PrometheusClient(URI base, Duration timeout, PrometheusAccess access) {
    String scheme = base.getScheme();
    if (base.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
      throw new IllegalArgumentException("--prometheus must be an http(s) URL such as http://prometheus:9090, got \""
          + base + "\"");
    }
    String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
    this.base = base.resolve(path + "/");
    this.timeout = timeout;
    this.access = access;
    // HTTP/1.1: an h2c upgrade attempt is pointless against Prometheus and confuses some proxies.
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout);
    access.tls().ifPresent(builder::sslContext);
    this.http = builder.build();
  }

  public URI base() {
    return base;
  }

  /** Evaluates {@code promql} at {@code time}; the result must be an instant vector. */
  public List<Sample> query(String promql, Instant time) throws PrometheusException {
    String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + "&time=" + time.getEpochSecond() + "." + String.format("%03d", time.getNano() / 1_000_000);
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("api/v1/query"))
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    access.headers().forEach(request::header);
    HttpResponse<String> response = send(request.build());
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      // Never echo the body or our headers: a proxy may reflect the credentials it refused.
      throw new PrometheusException("Prometheus at " + base + " answered HTTP " + response.statusCode()
          + (response.statusCode() == 401 ? " (unauthorized)" : " (forbidden)") + " with " + access
          + "; check --bearer-token-file, --basic-auth-user/--basic-auth-password-file and --header");
    }
    JsonObject body = parse(response, promql);
    if (response.statusCode() != 200 || !"success".equals(body.getString("status"))) {
      throw new PrometheusException("Prometheus at " + base + " answered HTTP " + response.statusCode() + " ("
          + body.getString("errorType", "?") + ": " + oneLine(body.getString("error", "")) + ") to query " + promql);
    }
    JsonObject data = body.getJsonObject("data", new JsonObject());
    if (!"vector".equals(data.getString("resultType"))) {
      throw new PrometheusException("Prometheus at " + base + " returned a " + data.getString("resultType")
          + ", not an instant vector, for query " + promql);
    }
    List<Sample> samples = new ArrayList<>();
    for (Object o : data.getJsonArray("result", new JsonArray())) {
      JsonObject series = (JsonObject) o;
      Map<String, String> labels = new HashMap<>();
      series.getJsonObject("metric", new JsonObject()).forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
      double value = Double.parseDouble(series.getJsonArray("value").getString(1));
      samples.add(new Sample(Map.copyOf(labels), value));
    }
    return samples;
  }

  private HttpResponse<String> send(HttpRequest request) throws PrometheusException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new PrometheusException("Prometheus at " + base + " did not answer within " + TimeExpressions.format(timeout));
    } catch (ConnectException e) {
      throw new PrometheusException("cannot reach Prometheus at " + base + ": connection refused");
    } catch (javax.net.ssl.SSLException e) {
      throw new PrometheusException("TLS with Prometheus at " + base + " failed: " + oneLine(String.valueOf(e.getMessage()))
          + " (a private CA: --ca-file; a lab: --insecure-skip-verify)");
    } catch (IOException e) {
      throw new PrometheusException("cannot reach Prometheus at " + base + ": " + oneLine(String.valueOf(e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrometheusException("interrupted while querying Prometheus at " + base);
    }
  }

  private JsonObject parse(HttpResponse<String> response, String promql) throws PrometheusException {
    try {
      return new JsonObject(response.body());
    } catch (DecodeException | ClassCastException e) {
      String body = response.body() == null ? "" : response.body();
      throw new PrometheusException("Prometheus at " + base + " answered HTTP " + response.statusCode()
          + " with a non-JSON body (" + oneLine(body.length() > 120 ? body.substring(0, 120) + "…" : body)
          + ") to query " + promql + "; is this the Prometheus root URL?");
    }
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }
}
