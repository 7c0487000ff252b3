package io.socketiocanary.compare;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The in-process entry point: fetch both windows (or both sides) and compare them. */
public final class Compare {
  private Compare() {}

  /** Queries Prometheus for both windows (optionally one target) and judges every figure. */
  public static Report run(PrometheusClient prometheus, Windows windows, Optional<String> target)
      throws PrometheusException {
    WindowQueries queries = new WindowQueries(prometheus, target);
    WindowData before = queries.fetch(windows.before(), "before");
    WindowData after = queries.fetch(windows.after(), "after");
    Report report = Comparison.compare(before, after, windows.notes());
    if (!windows.fromMarker()) {
      return report;
    }
    return Staleness.apply(report, queries.staleAtEnd(windows.after()), after.clients());
  }

  /**
   * A/B: two selections of fleets over the same window, judged with the same tests as before and
   * after ("before" = A, "after" = B: better means B is better). Fleets pair up by target and
   * transport; when both sides fix {@code target} (target=chat-old vs target=chat-new) they pair
   * by transport, under the target name "chat-old|chat-new".
   */
  public static Report ab(PrometheusClient prometheus, Window window, List<String> notes, Selection a, Selection b,
      Optional<String> target) throws PrometheusException {
    Optional<String> ta = a.fixed("target");
    Optional<String> tb = b.fixed("target");
    UnaryOperator<FleetKey> pair = ta.isPresent() && tb.isPresent() && !ta.equals(tb)
        ? k -> new FleetKey(ta.get() + "|" + tb.get(), k.transport())
        : UnaryOperator.identity();
    WindowData da = new WindowQueries(prometheus, target, a, pair).fetch(window, "a (" + a + ")");
    WindowData db = new WindowQueries(prometheus, target, b, pair).fetch(window, "b (" + b + ")");
    return Comparison.compare(da, db, notes).withSides(Report.Sides.ab(a, b));
  }
}
