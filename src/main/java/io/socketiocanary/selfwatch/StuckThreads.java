package io.socketiocanary.selfwatch;

import java.util.ArrayList;
import java.util.List;

/**
 * The stacks of the threads behind a stalled loop, carried as a log event's cause so that the
 * WARN line shows where they stand, in the format every engineer reads (as Vert.x's own blocked
 * thread checker does). The first thread's stack is this throwable's; the others are suppressed
 * throwables of their own. Never thrown.
 */
final class StuckThreads extends Exception {
  private static final long serialVersionUID = 1L;
  private final List<String> names = new ArrayList<>();

  StuckThreads(String message) {
    super(message, null, true, true);
    setStackTrace(new StackTraceElement[0]);
  }

  void add(Thread thread, StackTraceElement[] stack) {
    String name = thread.getName() + " (" + thread.getState() + ")";
    if (names.isEmpty()) {
      setStackTrace(stack);
    } else {
      Exception other = new Exception("thread " + name, null, false, true) { };
      other.setStackTrace(stack);
      addSuppressed(other);
    }
    names.add(name);
  }

  String threadNames() {
    return names.isEmpty() ? "unknown" : String.join(", ", names);
  }

  @Override
  public String getMessage() {
    return super.getMessage() + (names.isEmpty() ? "" : "; stack of " + names.get(0));
  }
}
