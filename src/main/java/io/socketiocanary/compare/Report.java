package io.socketiocanary.compare;

import java.util.List;

/**
 * A finished comparison: the two windows, notes about them and one row per figure. Immutable.
 *
 * @param notes remarks a reader must see, such as an after window shorter than asked for
 */
public record Report(Window before, Window after, List<String> notes, List<Row> rows) {
  public Report {
    notes = List.copyOf(notes);
    rows = List.copyOf(rows);
  }

  /** Whether any figure got significantly worse: the deploy gate. */
  public boolean anyWorse() {
    return rows.stream().anyMatch(r -> r.verdict() == Verdict.WORSE);
  }
}
