package io.socketiocanary.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Turns the figures of two windows into rows with verdicts, fleet by fleet. Which test judges
 * which figure: availability and the recovered ratio → {@link ProportionChange}; disconnects,
 * connect errors, probe failures and missed messages per hour → {@link RateChange}; reconnect durations and lifetimes →
 * {@link HistogramShift} via {@link QuantileRows}. Stateless.
 */
public final class Comparison {
  private static final List<Double> DURATION_QUANTILES = List.of(0.5, 0.95, 0.99);

  private Comparison() {}

  public static Report compare(WindowData before, WindowData after, List<String> notes) {
    List<Row> rows = new ArrayList<>();
    TreeSet<FleetKey> fleets = new TreeSet<>(before.fleets());
    fleets.addAll(after.fleets());
    for (FleetKey fleet : fleets) {
      if (!before.fleets().contains(fleet) || !after.fleets().contains(fleet)) {
        String where = before.fleets().contains(fleet) ? "before" : "after";
        rows.add(new Row(fleet.target(), fleet.transport(), "fleet", "", "", Double.NaN, Double.NaN, Double.NaN,
            Verdict.NOT_AVAILABLE, "only in the " + where + " window"));
        continue;
      }
      rows.add(availability(fleet, before, after));
      rates(fleet, "disconnects/h", before.disconnects().get(fleet), after.disconnects().get(fleet), before, after,
          rows::add);
      rates(fleet, "connect errors/h", before.connectErrors().get(fleet), after.connectErrors().get(fleet), before,
          after, rows::add);
      Double pb = before.probeFailures().get(fleet);
      Double pa = after.probeFailures().get(fleet);
      if (pb == null && pa == null) {
        rows.add(new Row(fleet.target(), fleet.transport(), "probe failures/h", "", "/h", Double.NaN, Double.NaN,
            Double.NaN, Verdict.NOT_AVAILABLE, "not exported"));
      } else {
        rows.add(rate(fleet, "probe failures/h", "", orZero(pb), orZero(pa), before.window(), after.window()));
      }
      QuantileRows.add(fleet, "reconnect", DURATION_QUANTILES, true,
          before.reconnect().get(fleet), after.reconnect().get(fleet), rows::add);
      QuantileRows.add(fleet, "drill reconnect", DURATION_QUANTILES, true,
          before.drillReconnect().get(fleet), after.drillReconnect().get(fleet), rows::add);
      QuantileRows.add(fleet, "lifetime", List.of(0.5), false,
          before.lifetime().get(fleet), after.lifetime().get(fleet), rows::add);
      recovery(fleet, before, after, rows::add);
    }
    return new Report(before.window(), after.window(), notes, rows);
  }

  private static Row availability(FleetKey fleet, WindowData before, WindowData after) {
    double cb = before.clients().get(fleet);
    double ca = after.clients().get(fleet);
    double ab = share(before.connected().get(fleet), cb);
    double aa = share(after.connected().get(fleet), ca);
    // Observations are canary-minutes; see ProportionChange for why not scrape samples.
    double nb = cb * before.window().seconds() / 60;
    double na = ca * after.window().seconds() / 60;
    String note = String.format("%.0f vs %.0f canary-minutes", nb, na);
    if (ProportionChange.tooFew(nb, na)) {
      return new Row(fleet.target(), fleet.transport(), "availability", "", "%", 100 * ab, 100 * aa, Double.NaN,
          Verdict.TOO_FEW_SAMPLES, note);
    }
    double p = ProportionChange.pValue(ab, nb, aa, na);
    // The practical threshold applies to downtime: 99.0 → 98.9 % is 10 % more downtime.
    Verdict verdict = Verdicts.judge(p, 1 - ab, 1 - aa, true);
    return new Row(fleet.target(), fleet.transport(), "availability", "", "%", 100 * ab, 100 * aa, p, verdict, note);
  }

  /**
   * The recovered ratio, recovered / (recovered + new_session) of the judged reconnects
   * ({@code no_offset} excluded: nothing could be offered), and missed messages per hour, for a
   * fleet that exports the series in either window; nothing for the others.
   */
  private static void recovery(FleetKey fleet, WindowData before, WindowData after, Consumer<Row> out) {
    Map<String, Double> rb = before.recoveries().get(fleet);
    Map<String, Double> ra = after.recoveries().get(fleet);
    if (rb != null || ra != null) {
      out.accept(recoveredRatio(fleet, rb == null ? Map.of() : rb, ra == null ? Map.of() : ra));
    }
    Double mb = before.messagesMissed().get(fleet);
    Double ma = after.messagesMissed().get(fleet);
    if (mb != null || ma != null) {
      out.accept(rate(fleet, "messages missed/h", "", orZero(mb), orZero(ma), before.window(), after.window()));
    }
  }

  static Row recoveredRatio(FleetKey fleet, Map<String, Double> before, Map<String, Double> after) {
    double recoveredBefore = before.getOrDefault("recovered", 0.0);
    double recoveredAfter = after.getOrDefault("recovered", 0.0);
    // Observations are judged reconnects; increase() extrapolates, so round as the rates do.
    double nb = Math.round(recoveredBefore + before.getOrDefault("new_session", 0.0));
    double na = Math.round(recoveredAfter + after.getOrDefault("new_session", 0.0));
    double ratioBefore = nb > 0 ? Math.min(1, recoveredBefore / nb) : Double.NaN;
    double ratioAfter = na > 0 ? Math.min(1, recoveredAfter / na) : Double.NaN;
    String note = String.format(java.util.Locale.ROOT, "n=%.0f vs %.0f reconnects", nb, na);
    if (ProportionChange.tooFew(nb, na)) {
      return new Row(fleet.target(), fleet.transport(), "recovered ratio", "", "%", 100 * ratioBefore,
          100 * ratioAfter, Double.NaN, Verdict.TOO_FEW_SAMPLES,
          note + String.format(java.util.Locale.ROOT, ", need %.0f", ProportionChange.MIN_OBSERVATIONS));
    }
    double p = ProportionChange.pValue(ratioBefore, nb, ratioAfter, na);
    // As for availability, the practical threshold applies to the share lost: new sessions.
    Verdict verdict = Verdicts.judge(p, 1 - ratioBefore, 1 - ratioAfter, true);
    return new Row(fleet.target(), fleet.transport(), "recovered ratio", "", "%", 100 * ratioBefore,
        100 * ratioAfter, p, verdict, note);
  }

  private static void rates(FleetKey fleet, String figure, Map<String, Double> before, Map<String, Double> after,
      WindowData wb, WindowData wa, Consumer<Row> out) {
    Map<String, Double> b = before == null ? Map.of() : before;
    Map<String, Double> a = after == null ? Map.of() : after;
    double totalBefore = b.values().stream().mapToDouble(Double::doubleValue).sum();
    double totalAfter = a.values().stream().mapToDouble(Double::doubleValue).sum();
    out.accept(rate(fleet, figure, "all", totalBefore, totalAfter, wb.window(), wa.window()));
    TreeSet<String> reasons = new TreeSet<>(b.keySet());
    reasons.addAll(a.keySet());
    for (String reason : reasons) {
      double kb = b.getOrDefault(reason, 0.0);
      double ka = a.getOrDefault(reason, 0.0);
      // Every reason is exported at zero; a reason that never happened is noise in the report.
      if (Math.round(kb) > 0 || Math.round(ka) > 0) {
        out.accept(rate(fleet, figure, reason, kb, ka, wb.window(), wa.window()));
      }
    }
  }

  private static Row rate(FleetKey fleet, String figure, String reason, double countBefore, double countAfter,
      Window before, Window after) {
    long kb = Math.round(countBefore);
    long ka = Math.round(countAfter);
    double rb = countBefore * 3600 / before.seconds();
    double ra = countAfter * 3600 / after.seconds();
    String note = "k=" + kb + " vs " + ka;
    if (RateChange.tooFew(kb, ka)) {
      return new Row(fleet.target(), fleet.transport(), figure, reason, "/h", rb, ra, Double.NaN,
          Verdict.TOO_FEW_SAMPLES, note + ", need " + RateChange.MIN_EVENTS);
    }
    double p = RateChange.pValue(kb, before.seconds(), ka, after.seconds());
    return new Row(fleet.target(), fleet.transport(), figure, reason, "/h", rb, ra, p,
        Verdicts.judge(p, rb, ra, true), note);
  }

  private static double share(Double connected, double clients) {
    if (connected == null || clients <= 0) {
      return 0;
    }
    return Math.min(1, connected / clients);
  }

  private static double orZero(Double d) {
    return d == null ? 0 : d;
  }
}
