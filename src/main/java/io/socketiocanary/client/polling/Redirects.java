package io.socketiocanary.client.polling;

import java.net.ProtocolException;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The request a redirect leads to, as a browser's XMLHttpRequest follows it (the Fetch standard's
 * "HTTP-redirect fetch"): 301, 302, 303, 307 and 308 only; 301 and 302 turn a POST into a GET and
 * 303 anything but HEAD, each dropping the body; 307 and 308 keep method and body; at most
 * {@link #MAX_FOLLOW_UPS}; {@code Authorization} is not sent to another origin. OkHttp followed
 * the same rules and limit, and its words for a loop are kept, so a redirect loop reads as it did.
 * Stateless and thread-safe.
 */
final class Redirects {
  /** Fetch's limit of 20 redirects, OkHttp's too: the 21st follow-up is an error. */
  static final int MAX_FOLLOW_UPS = 20;

  private Redirects() {}

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /**
   * The next request after {@code request} was answered {@code status} with {@code location}, or
   * null when the answer is final (no Location, or one that is not an http(s) URL, which OkHttp
   * also handed back as the answer).
   *
   * @param followUps redirects already followed for this call
   */
  static Request follow(Request request, int status, String location, int followUps) throws ProtocolException {
    if (!isRedirect(status) || location == null) {
      return null;
    }
    HttpUrl next = request.url().resolve(location);
    if (next == null) {
      return null;
    }
    if (followUps + 1 > MAX_FOLLOW_UPS) {
      throw new ProtocolException("Too many follow-up requests: " + (followUps + 1));
    }
    Request.Builder builder = request.newBuilder().url(next);
    String method = request.method();
    boolean toGet = (status == 301 || status == 302) && "POST".equals(method)
        || status == 303 && !"HEAD".equals(method);
    if (toGet) {
      builder.method("GET", null)
          .removeHeader("Content-Type")
          .removeHeader("Content-Length")
          .removeHeader("Content-Encoding")
          .removeHeader("Content-Language")
          .removeHeader("Content-Location");
    }
    if (!sameOrigin(request.url(), next)) {
      builder.removeHeader("Authorization");
    }
    return builder.build();
  }

  static boolean sameOrigin(HttpUrl a, HttpUrl b) {
    return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
  }
}
