package io.socketiocanary.compare;

import java.util.List;

/**
 * A finished comparison: the two windows, notes about them and one row per figure. Immutable.
 * In an A/B comparison "before" is side A and "after" side B, over the same window; {@link #sides}
 * says which.
 *
 * @param notes remarks a reader must see, such as an after window shorter than asked for
 */
public record Report(Window before, Window after, List<String> notes, List<Row> rows, Sides sides) {
  /** What the two columns are: before/after a change, or two selections at the same time. */
  public record Sides(String before, String after, String beforeSelection, String afterSelection) {
    public static final Sides BEFORE_AFTER = new Sides("before", "after", "", "");

    public static Sides ab(Selection a, Selection b) {
      return new Sides("a", "b", a.toString(), b.toString());
    }

    public boolean ab() {
      return !beforeSelection.isEmpty();
    }
  }

  public Report {
    notes = List.copyOf(notes);
    rows = List.copyOf(rows);
  }

  public Report(Window before, Window after, List<String> notes, List<Row> rows) {
    this(before, after, notes, rows, Sides.BEFORE_AFTER);
  }

  /** Whether any figure got significantly worse: the deploy gate. */
  public boolean anyWorse() {
    return rows.stream().anyMatch(r -> r.verdict() == Verdict.WORSE);
  }

  /** Whether any fleet's after window mostly judged connections from before the change. */
  public boolean anyStale() {
    return rows.stream().anyMatch(r -> r.verdict() == Verdict.STALE);
  }

  Report withRows(List<Row> newRows) {
    return new Report(before, after, notes, newRows, sides);
  }

  Report withSides(Sides s) {
    return new Report(before, after, notes, rows, s);
  }
}
