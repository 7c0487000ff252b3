package io.socketiocanary.canary;

import io.socketiocanary.client.ConnectFailure;

/** The short text the status API and the log show for a failed attempt (redacted by the fleet before it is shown). */
final class FailureText {
  /** Longer texts are cut: a server's error page is not a detail. */
  static final int MAX_LENGTH = 300;

  private FailureText() {}

  static String of(ConnectFailure failure) {
    StringBuilder text = new StringBuilder(failure.message() == null ? "" : failure.message());
    if (failure.http() != null) {
      text.append(" (HTTP ").append(failure.http().status());
      failure.http().engineIoCode().ifPresent(c -> text.append(", Engine.IO code ").append(c));
      if (!failure.http().message().isEmpty()) {
        text.append(": ").append(failure.http().message());
      }
      text.append(')');
    } else if (failure.cause() != null && failure.cause().getCause() != null) {
      Throwable root = failure.cause();
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      text.append(" (").append(root.getClass().getSimpleName());
      if (root.getMessage() != null) {
        text.append(": ").append(root.getMessage());
      }
      text.append(')');
    }
    return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) + "…" : text.toString();
  }
}
