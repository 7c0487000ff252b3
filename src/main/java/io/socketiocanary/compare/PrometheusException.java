package io.socketiocanary.compare;

/** Prometheus could not answer a comparison: the message is one line, fit for the terminal. */
// Never serialized: it does not leave the JVM, so no serialVersionUID.
@SuppressWarnings("serial")
public final class PrometheusException extends Exception {
  public PrometheusException(String message) {
    super(message);
  }
}
