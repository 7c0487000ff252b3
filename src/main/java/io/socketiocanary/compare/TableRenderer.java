package io.socketiocanary.compare;

import java.util.ArrayList;
import java.util.List;

/** Aligned plain text for a terminal. Stateless. */
public final class TableRenderer {
  private static final String[] HEADER = {"TARGET", "TRANSPORT", "FIGURE", "BEFORE", "AFTER", "CHANGE", "VERDICT",
      "P", "NOTE"};

  private TableRenderer() {}

  public static String render(Report report) {
    StringBuilder out = new StringBuilder();
    Report.Sides sides = report.sides();
    if (sides.ab()) {
      out.append("a  ").append(sides.beforeSelection()).append('\n');
      out.append("b  ").append(sides.afterSelection()).append('\n');
      out.append("window ").append(report.after()).append('\n');
    } else {
      out.append("before ").append(report.before()).append('\n');
      out.append("after  ").append(report.after()).append('\n');
    }
    report.notes().forEach(n -> out.append("note: ").append(n).append('\n'));
    out.append('\n');
    List<String[]> lines = new ArrayList<>();
    String[] header = HEADER.clone();
    header[3] = sides.before().toUpperCase(java.util.Locale.ROOT);
    header[4] = sides.after().toUpperCase(java.util.Locale.ROOT);
    lines.add(header);
    for (Row r : report.rows()) {
      lines.add(new String[] {r.target(), r.transport(), r.label(), Cells.value(r.before(), r.unit()),
          Cells.value(r.after(), r.unit()), Cells.change(r), r.verdict().text(), Cells.pValue(r.pValue()), r.note()});
    }
    int[] widths = new int[HEADER.length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (String[] line : lines) {
      StringBuilder l = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        // Numbers right-aligned so digits line up; text left-aligned.
        boolean numeric = i >= 3 && i <= 5 || i == 7;
        String cell = numeric ? pad(line[i], widths[i], true) : pad(line[i], widths[i], false);
        l.append(cell).append(i < line.length - 1 ? "  " : "");
      }
      out.append(l.toString().stripTrailing()).append('\n');
    }
    out.append('\n').append("summary: ").append(Cells.summary(report)).append('\n');
    out.append(Cells.METHODS).append('\n');
    return out.toString();
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(width - s.length());
    return right ? fill + s : s + fill;
  }
}
