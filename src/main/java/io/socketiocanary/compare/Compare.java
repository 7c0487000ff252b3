package io.socketiocanary.compare;

import java.util.Optional;

/** The in-process entry point: fetch both windows and compare them. */
public final class Compare {
  private Compare() {}

  /** Queries Prometheus for both windows (optionally one target) and judges every figure. */
  public static Report run(PrometheusClient prometheus, Windows windows, Optional<String> target)
      throws PrometheusException {
    WindowQueries queries = new WindowQueries(prometheus, target);
    WindowData before = queries.fetch(windows.before(), "before");
    WindowData after = queries.fetch(windows.after(), "after");
    return Comparison.compare(before, after, windows.notes());
  }
}
