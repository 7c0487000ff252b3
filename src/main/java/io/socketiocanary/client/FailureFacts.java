package io.socketiocanary.client;

import io.socketiocanary.client.ConnectFailure.Fault;
import io.socketiocanary.client.ConnectFailure.Kind;
import io.socketiocanary.client.compat.LibraryTexts;
import io.socketiocanary.client.polling.BodyTooLarge;
import io.socketiocanary.client.polling.PollingTarget;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.OptionalInt;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.json.JSONException;

/**
 * Reads the facts of a failed attempt out of what the client hands over: exception types
 * (the JDK's, Netty's, ours) and, where the library states a fact only in words, the texts in
 * {@link LibraryTexts}. Stateless and thread-safe.
 */
final class FailureFacts {
  private FailureFacts() {}

  /**
   * The fault the failure states. A server that does not speak Engine.IO v4 wins over anything
   * else in the chain (its garbage can come with any transport exception); otherwise the first
   * exception of the chain that states a fact.
   */
  static Fault faultOf(Kind kind, String message, Throwable cause) {
    if (kind == Kind.NAMESPACE_REJECTED) {
      return LibraryTexts.isInvalidNamespace(message) ? Fault.INVALID_NAMESPACE : Fault.UNKNOWN;
    }
    if (first(cause, t -> notEngineIo(t) ? Fault.NOT_ENGINE_IO : null) != null) {
      return Fault.NOT_ENGINE_IO;
    }
    Fault fault = first(cause, FailureFacts::fault);
    return fault == null ? Fault.UNKNOWN : fault;
  }

  /** The HTTP status the chain states (a refused upgrade, a polling error), when no answer was captured. */
  static HttpFailure httpOf(Throwable cause) {
    return first(cause, t -> {
      if (t instanceof WebSocketUpgradeRefused refused) {
        return new HttpFailure(refused.status(), OptionalInt.empty(), "", true);
      }
      OptionalInt status = LibraryTexts.pollingStatus(t);
      return status.isPresent() ? new HttpFailure(status.getAsInt(), OptionalInt.empty(), "", false) : null;
    });
  }

  private static Fault fault(Throwable t) {
    if (t instanceof UnknownHostException) {
      return Fault.DNS;
    }
    if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
      return Fault.REFUSED;
    }
    if (t instanceof SSLException) {
      return Fault.TLS;
    }
    if (t instanceof SocketTimeoutException) {
      return Fault.TIMEOUT;
    }
    if (t instanceof EOFException) {
      return Fault.CLOSED;
    }
    if (t instanceof WebSocketUpgradeRefused) {
      return Fault.UPGRADE_REFUSED;
    }
    if (LibraryTexts.pollingStatus(t).isPresent()) {
      return Fault.HTTP_STATUS;
    }
    return null;
  }

  /**
   * An Engine.IO 3 payload or an HTML page (the library's parser error), an open packet that is
   * not JSON, or a polling answer over {@link PollingTarget#MAX_BODY_BYTES}.
   */
  private static boolean notEngineIo(Throwable t) {
    return LibraryTexts.isParserError(t) || t instanceof JSONException || t instanceof BodyTooLarge;
  }

  private static <T> T first(Throwable cause, Function<Throwable, T> fact) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      T found = fact.apply(t);
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
