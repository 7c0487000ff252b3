package io.socketiocanary.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Did the after window meet the change? A proxy reload leaves established connections on its old
 * workers with the old settings, and idle canaries keep theirs for hours: an after window whose
 * canaries never reconnected judged the old path, and a gate that passes a regression because its
 * canaries never met it is worse than no gate. The agents export, per fleet, how many connected
 * canaries still hold a connection from before the latest marker
 * ({@code socketio_canary_stale_connections}); at the end of the after window, more than half of
 * the fleet's canaries on such connections makes the fleet {@code stale}: one row says how many,
 * and its judged rows say {@code stale} instead of a verdict. Stateless.
 */
final class Staleness {
  /** More than this share of the fleet still on old connections refuses a verdict. */
  static final double MOST = 0.5;
  private static final Set<Verdict> JUDGED = Set.of(Verdict.BETTER, Verdict.WORSE, Verdict.NO_CHANGE);

  private Staleness() {}

  /**
   * @param stale per fleet, canaries on a connection from before the marker at the after window's end
   * @param clients per fleet, canaries configured in the after window
   */
  static Report apply(Report report, Map<FleetKey, Double> stale, Map<FleetKey, Double> clients) {
    Map<FleetKey, List<Row>> byFleet = new LinkedHashMap<>();
    for (Row r : report.rows()) {
      byFleet.computeIfAbsent(new FleetKey(r.target(), r.transport()), k -> new ArrayList<>()).add(r);
    }
    List<Row> out = new ArrayList<>();
    byFleet.forEach((fleet, rows) -> {
      Double old = stale.get(fleet);
      Double size = clients.get(fleet);
      if (old == null || size == null || size <= 0) {
        out.addAll(rows);
        if (size != null) {
          out.add(new Row(fleet.target(), fleet.transport(), "old connections", "", "", Double.NaN, Double.NaN,
              Double.NaN, Verdict.NOT_AVAILABLE, "not exported: cannot tell whether the canaries met the change"));
        }
        return;
      }
      long n = Math.round(old);
      long of = Math.round(size);
      boolean isStale = old > MOST * size;
      for (Row r : rows) {
        out.add(isStale && JUDGED.contains(r.verdict())
            ? new Row(r.target(), r.transport(), r.figure(), r.reason(), r.unit(), r.before(), r.after(), r.pValue(),
                Verdict.STALE, "would be " + r.verdict().text() + (r.note().isEmpty() ? "" : "; " + r.note()))
            : r);
      }
      out.add(new Row(fleet.target(), fleet.transport(), "old connections", "", "", Double.NaN, old, Double.NaN,
          isStale ? Verdict.STALE : Verdict.FRESH,
          n + " of " + of + " canaries still on a connection from before the marker"
              + (isStale ? ": the after window judged the old path; recycle and compare again" : "")));
    });
    return report.withRows(out);
  }
}
